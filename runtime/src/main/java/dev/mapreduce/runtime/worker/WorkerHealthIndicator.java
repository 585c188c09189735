package dev.mapreduce.runtime.worker;

import dev.mapreduce.runtime.ShuffleStore;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** DOWN when the worker stopped taking tasks or cannot reach Redis; either way it can run no task. */
final class WorkerHealthIndicator implements HealthIndicator {

    private final TaskConsumerLifecycle consumer;
    private final ShuffleStore shuffleStore;
    private final String workerId;

    WorkerHealthIndicator(TaskConsumerLifecycle consumer, ShuffleStore shuffleStore, String workerId) {
        this.consumer = consumer;
        this.shuffleStore = shuffleStore;
        this.workerId = workerId;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("workerId", workerId);
        if (!consumer.isConsuming()) {
            health.down().withDetail("taskConsumer", "not running");
        } else {
            health.withDetail("taskConsumer", consumer.isIdle() ? "idle" : "running a task");
        }
        if (!shuffleStore.ping()) {
            health.down().withDetail("redis", "not answering");
        }
        return health.build();
    }
}
