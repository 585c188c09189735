package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.runtime.ShuffleStore;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@link Effects} of a committed change, without waiting for Kafka: sends its task and control
 * messages, counts its metrics, and deletes the shuffle keys of the jobs it ended on a thread of its own. A task
 * message that fails is sent again by the monitor (its attempt stays undispatched).
 */
final class CommittedEffects {

    private static final Logger log = LoggerFactory.getLogger(CommittedEffects.class);

    private final Dispatcher dispatcher;
    private final Outbox outbox;
    private final ShuffleStore shuffle;
    private final CoordinatorMetrics metrics;

    /** Deletes ended jobs' shuffle keys (those their index in Redis names) off the thread that applies events. */
    private final ExecutorService cleaner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "shuffle-cleanup");
        t.setDaemon(true);
        return t;
    });

    CommittedEffects(Dispatcher dispatcher, Outbox outbox, ShuffleStore shuffle, CoordinatorMetrics metrics) {
        this.dispatcher = dispatcher;
        this.outbox = outbox;
        this.shuffle = shuffle;
        this.metrics = metrics;
    }

    void run(Effects fx) {
        dispatcher.send(fx.dispatch);
        if (!fx.controls.isEmpty()) {
            outbox.sendControls(fx.controls);
        }
        fx.committed.forEach(metrics::tasksCommitted);
        for (Duration took : fx.completedJobs) {
            metrics.jobCompleted(took);
        }
        for (int i = 0; i < fx.failedJobs; i++) {
            metrics.jobFailed();
        }
        for (UUID jobId : fx.cleanUp) {
            cleaner.execute(() -> deleteShuffleKeys(jobId));
        }
    }

    private void deleteShuffleKeys(UUID jobId) {
        try {
            long keys = shuffle.deleteJob(jobId);
            log.info("job {}: deleted {} shuffle keys", jobId, keys);
        } catch (RuntimeException e) {
            log.warn(
                    "job {}: could not delete its shuffle keys (they expire with their TTL): {}",
                    jobId,
                    e.getMessage());
        }
    }
}
