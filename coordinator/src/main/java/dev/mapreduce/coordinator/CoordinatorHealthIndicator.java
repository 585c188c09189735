package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.event.TaskEventListener;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** DOWN when the coordinator stopped consuming task events: jobs would stop advancing. */
@Component("taskEvents")
class CoordinatorHealthIndicator implements HealthIndicator {

    private final TaskEventListener listener;

    CoordinatorHealthIndicator(TaskEventListener listener) {
        this.listener = listener;
    }

    @Override
    public Health health() {
        return listener.isHealthy()
                ? Health.up().build()
                : Health.down()
                        .withDetail("taskEvents", "the task event consumer is not running")
                        .build();
    }
}
