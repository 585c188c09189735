package dev.mapreduce.coordinator;

import com.zaxxer.hikari.HikariDataSource;
import dev.mapreduce.coordinator.dispatch.DispatchStore;
import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.event.EventOffsetStore;
import dev.mapreduce.coordinator.job.JobStore;
import dev.mapreduce.coordinator.task.AttemptStore;
import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The leader's scheduler on a throwaway database, without Spring, sending through an outbox of the
 * test's: what the event-path tests and the coordinator benchmark drive. {@link #close()} closes the
 * pool and the shuffle store.
 */
record SchedulerRig(
        HikariDataSource ds,
        JdbcTemplate jdbc,
        ShuffleStore shuffle,
        JobStore store,
        TaskStore tasks,
        AttemptStore attempts,
        EventOffsetStore eventOffsets,
        Scheduler scheduler)
        implements AutoCloseable {

    /** The shared Redis of the tests ({@code REDIS_URL}, else the local one). */
    static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

    /** Scheduler settings as deployed, no speculation, but for the worker timeout and the dispatch limits. */
    static SchedulerSettings settings(Duration workerTimeout, int jobLimit, int maxInFlight) {
        return new SchedulerSettings(
                workerTimeout,
                4,
                Duration.ofSeconds(1),
                new SchedulerSettings.Speculation(false, 0.75, 1.5, Duration.ofSeconds(1)),
                Duration.ofMillis(250),
                50,
                new SchedulerSettings.Dispatch(jobLimit, maxInFlight, 2),
                Duration.ofMinutes(10));
    }

    static SchedulerRig create(
            String database, int poolSize, SchedulerSettings settings, Outbox outbox, CoordinatorMetrics metrics) {
        return create(database, poolSize, REDIS_URL, settings, outbox, metrics, ds -> {});
    }

    /** {@code pool} is given the pool before it opens, to set what else a test needs of it. */
    static SchedulerRig create(
            String database,
            int poolSize,
            String redisUrl,
            SchedulerSettings settings,
            Outbox outbox,
            CoordinatorMetrics metrics,
            Consumer<HikariDataSource> pool) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(TestDatabase.create(database));
        ds.setUsername(TestDatabase.USER);
        ds.setPassword(TestDatabase.PASSWORD);
        ds.setMaximumPoolSize(poolSize);
        pool.accept(ds);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        ShuffleStore shuffle = new RedisShuffleStore(redisUrl, Duration.ofSeconds(5));
        JobStore store = new JobStore(jdbc);
        TaskStore tasks = new TaskStore(jdbc);
        AttemptStore attempts = new AttemptStore(jdbc);
        Scheduler scheduler = scheduler(jdbc, tx, outbox, shuffle, metrics, settings);
        return new SchedulerRig(ds, jdbc, shuffle, store, tasks, attempts, new EventOffsetStore(jdbc), scheduler);
    }

    /**
     * A scheduler of its own on this rig's database and shuffle store, as a second coordinator
     * (a standby) has.
     */
    Scheduler another(Outbox outbox, CoordinatorMetrics metrics, SchedulerSettings settings) {
        return scheduler(
                jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(ds)),
                outbox,
                shuffle,
                metrics,
                settings);
    }

    /** Runs the leader's monitor duties every {@code interval} on {@code timers}, as LeaderElection does. */
    void monitorEvery(Duration interval, ScheduledExecutorService timers) {
        timers.scheduleWithFixedDelay(
                () -> {
                    try {
                        scheduler.monitor();
                    } catch (RuntimeException e) {
                        // a pass that fails is run again
                    }
                },
                0,
                interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static Scheduler scheduler(
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

    @Override
    public void close() {
        try (ds) {
            shuffle.close();
        }
    }
}
