package dev.mapreduce.coordinator;

import com.zaxxer.hikari.HikariDataSource;
import dev.mapreduce.coordinator.dispatch.DispatchStore;
import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link Scheduler} wired by hand on a test database, as the coordinator wires it, for the ITs
 * that drive it without a Spring context: its own dispatcher, sending to {@code outbox}, and the
 * shared Redis (REDIS_URL) for shuffle clean-up.
 */
final class HandBuiltScheduler {

    private HandBuiltScheduler() {}

    /** A fresh test database ({@link TestDatabase}) behind a pool of {@code connections}. */
    static HikariDataSource database(String purpose, int connections) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(TestDatabase.create(purpose));
        ds.setUsername(TestDatabase.USER);
        ds.setPassword(TestDatabase.PASSWORD);
        ds.setMaximumPoolSize(connections);
        return ds;
    }

    /** The defaults but the worker timeout and the dispatch limits; no speculation. */
    static SchedulerSettings settings(Duration workerTimeout, SchedulerSettings.Dispatch dispatch) {
        return new SchedulerSettings(
                workerTimeout,
                4,
                Duration.ofSeconds(1),
                new SchedulerSettings.Speculation(false, 0.75, 1.5, Duration.ofSeconds(1)),
                Duration.ofMillis(250),
                50,
                dispatch,
                Duration.ofMinutes(10));
    }

    static Scheduler on(
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            Outbox outbox,
            CoordinatorMetrics metrics,
            SchedulerSettings settings) {
        return on(
                jdbc,
                tx,
                outbox,
                new RedisShuffleStore(
                        System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"), Duration.ofSeconds(5)),
                metrics,
                settings);
    }

    static Scheduler on(
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            Outbox outbox,
            ShuffleStore shuffle,
            CoordinatorMetrics metrics,
            SchedulerSettings settings) {
        JobStore store = new JobStore(jdbc);
        TaskStore tasks = new TaskStore(jdbc);
        AttemptStore attempts = new AttemptStore(jdbc);
        return new Scheduler(
                store,
                tasks,
                attempts,
                new WorkerStore(jdbc),
                jdbc,
                tx,
                new Dispatcher(new DispatchStore(jdbc), store, tasks, attempts, outbox, settings),
                outbox,
                shuffle,
                metrics,
                settings);
    }

    /** Runs the leader's monitor duties on {@code timers}, as LeaderElection does; a pass that fails is run again. */
    static void monitorEvery(Duration interval, Scheduler leader, ScheduledExecutorService timers) {
        timers.scheduleWithFixedDelay(
                () -> {
                    try {
                        leader.monitor();
                    } catch (RuntimeException e) {
                        // the next pass runs it again
                    }
                },
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }
}
