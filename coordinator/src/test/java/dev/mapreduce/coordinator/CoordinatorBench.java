package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.mapreduce.coordinator.dispatch.Dispatcher;
import dev.mapreduce.coordinator.dispatch.Outbox;
import dev.mapreduce.coordinator.event.EventApplier;
import dev.mapreduce.coordinator.event.EventBatch;
import dev.mapreduce.coordinator.event.EventOffsetStore;
import dev.mapreduce.coordinator.event.TaskEventListener;
import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The coordinator microbenchmark: task state transitions per second that the leader applies, on
 * the real PostgreSQL, through the real code path ({@link EventApplier} → {@link Scheduler} →
 * {@link EventBatch}, {@link Dispatcher}) in a throwaway database migrated by Flyway. Not a test
 * (its name matches neither {@code *Test} nor {@code *IT}): {@code bench/coordinator.sh} runs it.
 *
 * <p>Jobs are submitted as {@code JobService} does after planning ({@link Scheduler#startJob}). The
 * workers are simulated in this thread, half as many as attempts may be in flight (two slots per
 * worker: one running, one waiting), and take no time: in each round every busy worker reports its
 * task SUCCEEDED (a reduce attempt commits its partition first, as a reduce worker does), then every
 * idle worker takes the next task message in dispatch order and reports it STARTED. A round's events
 * are applied in polls of at most {@code bench.poll} records, as the consumer would return them.
 * The task messages go to this in-process queue instead of Kafka, so the figure is the coordinator
 * and PostgreSQL alone; no monitor runs, so every dispatch is one that an event caused. Every run
 * checks its outcome: each job COMPLETED, each task one successful attempt, never more map attempts
 * in flight than the limit.
 *
 * <p>Settings (system properties): {@code bench.jobs} (4), {@code bench.maps} per job (5000),
 * {@code bench.reducers} per job (8), {@code bench.jobLimit} (64), {@code bench.maxInFlight} (256),
 * {@code bench.poll} (the listener's {@code max.poll.records}, 2000), {@code bench.reps} (3, after one
 * warm-up run of the same size, not counted); {@code bench.logms} makes PostgreSQL log every
 * statement slower than that many milliseconds.
 */
class CoordinatorBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final AttemptCounters COUNTERS = new AttemptCounters(100, 0, 100, 50, 800, 0, 0);

    record Result(
            long transitions, double seconds, double cpuSeconds, double pgCpuSeconds, int batches, int maxInFlight) {

        double perSecond() {
            return transitions / seconds;
        }
    }

    /** The workers' side: what the coordinator dispatched, and nothing is lost on the way. */
    static final class InProcessQueue implements Outbox {
        final ConcurrentLinkedQueue<TaskMessage> tasks = new ConcurrentLinkedQueue<>();
        /** When each attempt's message was sent (System.nanoTime), if timed. */
        final Map<AttemptRef, Long> sentAt = new ConcurrentHashMap<>();

        private final boolean timed;
        long controls;

        InProcessQueue(boolean timed) {
            this.timed = timed;
        }

        @Override
        public CompletableFuture<Void> send(List<TaskMessage> sent) {
            if (timed) {
                long now = System.nanoTime();
                sent.forEach(m -> sentAt.put(AttemptRef.of(m), now));
            }
            tasks.addAll(sent);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void sendControls(List<ControlMessage> sent) {
            controls += sent.size();
        }
    }

    static int setting(String name, int fallback) {
        return Integer.getInteger("bench." + name, fallback);
    }

    @Test
    void transitionsPerSecond() throws Exception {
        int jobs = setting("jobs", 4);
        int maps = setting("maps", 5000);
        int reducers = setting("reducers", 8);
        int jobLimit = setting("jobLimit", 64);
        int maxInFlight = setting("maxInFlight", 256);
        int poll = setting("poll", TaskEventListener.MAX_POLL_RECORDS);
        int reps = setting("reps", 3);
        System.out.printf(
                "coordinator-bench: %d jobs x (%d maps + %d reduces), job limit %d, max in flight %d, polls of %d%n",
                jobs, maps, reducers, jobLimit, maxInFlight, poll);
        Result warmUp = run(jobs, maps, reducers, jobLimit, maxInFlight, poll);
        System.out.printf("coordinator-bench warm-up: %.0f transitions/s%n", warmUp.perSecond());
        List<Double> rates = new ArrayList<>();
        for (int rep = 1; rep <= reps; rep++) {
            Result r = run(jobs, maps, reducers, jobLimit, maxInFlight, poll);
            rates.add(r.perSecond());
            System.out.printf(
                    "coordinator-bench run %d: %d transitions in %.3f s = %.0f transitions/s (%d transactions, at most"
                            + " %d map attempts in flight; CPU: coordinator thread %.2f s, PostgreSQL backends %.2f s;"
                            + " load average %s)%n",
                    rep,
                    r.transitions(),
                    r.seconds(),
                    r.perSecond(),
                    r.batches(),
                    r.maxInFlight(),
                    r.cpuSeconds(),
                    r.pgCpuSeconds(),
                    loadAverage());
        }
        List<Double> sorted = rates.stream().sorted().toList();
        System.out.printf(
                "coordinator-bench median: %.0f transitions/s (min %.0f, max %.0f, %d runs)%n",
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }

    /**
     * The scale scenario ({@link ScaleScenario}): one job of {@code bench.maps} (100,000) map tasks
     * and {@code bench.reducers} (20) reduce tasks, {@code bench.workers} (1,000) map workers and
     * {@code bench.reduceWorkers} (20) reduce workers, each sending a heartbeat every {@code
     * bench.heartbeatMs} (1000) and running a task for {@code bench.taskMs} (0: as fast as the
     * coordinator lets them); {@code bench.seconds} (0: until the job completes) stops it earlier.
     * {@code bench/coordinator.sh} runs it with {@code BENCH_SCENARIO=scale}.
     */
    @Test
    void atScale() throws Exception {
        ScaleScenario.Settings settings = new ScaleScenario.Settings(
                setting("maps", 100_000),
                setting("reducers", 20),
                setting("workers", 1000),
                setting("reduceWorkers", 20),
                setting("heartbeatMs", 1000) * 1_000_000L,
                setting("taskMs", 0) * 1_000_000L,
                setting("poll", TaskEventListener.MAX_POLL_RECORDS),
                setting("seconds", 0) * 1_000_000_000L);
        System.out.printf("coordinator-bench scale: %s; load average %s%n", settings, loadAverage());
        try (Rig rig = Rig.create(0, 0, true)) {
            ScaleScenario scenario = new ScaleScenario(rig, settings);
            ScaleScenario.Result r = scenario.run();
            System.out.printf(
                    "coordinator-bench scale: %s after %.1f s (%d of %d tasks done, %.0f/s); %d events applied = %.0f/s, of them %d heartbeats = %.0f/s;"
                            + " %d polls (%.0f events each); job submitted (%d tasks created) in %.2f s;"
                            + " at most %d map attempts in flight%n",
                    r.finished() ? "job COMPLETED" : "stopped (bench.seconds)",
                    r.seconds(),
                    r.tasksDone(),
                    settings.maps() + settings.reducers(),
                    r.tasksDone() / r.seconds(),
                    r.events(),
                    r.events() / r.seconds(),
                    r.heartbeats(),
                    r.heartbeats() / r.seconds(),
                    r.polls(),
                    (double) r.events() / r.polls(),
                    settings.maps() + settings.reducers(),
                    r.submitSeconds(),
                    r.maxInFlight());
            System.out.printf(
                    "coordinator-bench scale: dispatched -> taken by a worker: %s%n",
                    r.waited().summary());
            System.out.printf(
                    "coordinator-bench scale: STARTED sent -> applied by the leader: %s%n",
                    r.applied().summary());
            System.out.printf(
                    "coordinator-bench scale: CPU: leader's event loop %.1f s (%.0f%% of one core), this JVM %.1f s"
                            + " (workers simulated too), PostgreSQL backends %.1f s (%.0f%%); load average %s%n",
                    r.applyCpuSeconds(),
                    100 * r.applyCpuSeconds() / r.seconds(),
                    r.processCpuSeconds(),
                    r.pgCpuSeconds(),
                    100 * r.pgCpuSeconds() / r.seconds(),
                    loadAverage());
            if (r.finished()) {
                scenario.check();
            }
        }
    }

    Result run(int jobs, int maps, int reducers, int jobLimit, int maxInFlight, int poll) throws Exception {
        try (Rig rig = Rig.create(jobLimit, maxInFlight, false)) {
            JdbcTemplate jdbc = rig.jdbc();
            Scheduler scheduler = rig.scheduler();
            EventApplier applier = rig.applier();
            InProcessQueue queue = rig.queue();

            long offset = 0;
            long transitions = 0;
            int batches = 0;
            int maxMapsInFlight = 0;
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            double pgCpuStart = pgCpu(jdbc);
            List<UUID> jobIds = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                UUID jobId = UUID.randomUUID();
                jobIds.add(jobId);
                List<MapInput> splits = new ArrayList<>(maps);
                for (int i = 0; i < maps; i++) {
                    splits.add(MapInput.ofRanges(List.of(new OffsetRange(0, 100L * i, 100L * (i + 1)))));
                }
                JobRequest request = new JobRequest(
                        "bench-" + j,
                        "bench-input",
                        null,
                        null,
                        null,
                        maps,
                        reducers,
                        "WORD_COUNT",
                        "SUM",
                        Map.of(),
                        true);
                List<TaskMessage> first = scheduler.startJob(jobId, request, splits, 100L * maps, null);
                queue.send(first);
                scheduler.markDispatched(first.stream().map(AttemptRef::of).toList());
                batches++;
            }
            TaskMessage[] workers = new TaskMessage[Math.max(1, maxInFlight / 2)];
            while (true) {
                List<TaskEvent> round = new ArrayList<>();
                List<TaskMessage> reducesDone = new ArrayList<>();
                for (int w = 0; w < workers.length; w++) {
                    TaskMessage m = workers[w];
                    if (m != null) {
                        if (m.type() == TaskType.REDUCE) {
                            reducesDone.add(m);
                        }
                        round.add(TaskEvent.succeeded(m, "bench-worker-" + w, COUNTERS));
                        workers[w] = null;
                    }
                }
                commitReduces(jdbc, reducesDone);
                for (int w = 0; w < workers.length && !queue.tasks.isEmpty(); w++) {
                    workers[w] = queue.tasks.poll();
                    round.add(TaskEvent.started(workers[w], "bench-worker-" + w));
                }
                long mapsInFlight = queue.tasks.stream()
                                .filter(m -> m.type() == TaskType.MAP)
                                .count()
                        + Arrays.stream(workers)
                                .filter(m -> m != null && m.type() == TaskType.MAP)
                                .count();
                maxMapsInFlight = Math.max(maxMapsInFlight, (int) mapsInFlight);
                if (round.isEmpty()) {
                    break;
                }
                for (int from = 0; from < round.size(); from += poll) {
                    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                    for (TaskEvent e : round.subList(from, Math.min(round.size(), from + poll))) {
                        records.add(new ConsumerRecord<>(
                                "bench-events", 0, offset++, e.jobId().toString(), Messages.encode(e)));
                    }
                    applier.apply(records);
                    batches++;
                }
                transitions += round.size();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            double pgCpuSeconds = pgCpu(jdbc) - pgCpuStart;

            for (UUID jobId : jobIds) {
                assertThat(jdbc.queryForObject("SELECT status FROM jobs WHERE job_id = ?", String.class, jobId))
                        .isEqualTo("COMPLETED");
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM task_attempts WHERE status = 'SUCCEEDED'", Long.class))
                    .isEqualTo((long) jobs * (maps + reducers));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM task_attempts", Long.class))
                    .isEqualTo((long) jobs * (maps + reducers));
            assertThat(transitions).isEqualTo(2L * jobs * (maps + reducers));
            assertThat(maxMapsInFlight).isLessThanOrEqualTo(maxInFlight);
            assertThat(queue.controls).isZero();
            return new Result(transitions, seconds, cpuSeconds, pgCpuSeconds, batches, maxMapsInFlight);
        }
    }

    /** The leader's event path on a throwaway database: what both scenarios drive. */
    record Rig(
            HikariDataSource ds,
            ShuffleStore shuffle,
            JdbcTemplate jdbc,
            Scheduler scheduler,
            EventApplier applier,
            InProcessQueue queue)
            implements AutoCloseable {

        /** {@code jobLimit} and {@code maxInFlight} 0: automatic, from the live workers, as deployed. */
        static Rig create(int jobLimit, int maxInFlight, boolean timed) {
            String url = TestDatabase.create("bench");
            HikariDataSource ds = new HikariDataSource();
            ds.setJdbcUrl(url);
            ds.setUsername(TestDatabase.USER);
            ds.setPassword(TestDatabase.PASSWORD);
            ds.setMaximumPoolSize(4);
            if (Integer.getInteger("bench.logms") != null) {
                // to see where the time goes: PostgreSQL logs each statement slower than this (superuser only)
                ds.setConnectionInitSql("SET log_min_duration_statement = " + Integer.getInteger("bench.logms"));
            }
            ShuffleStore shuffle = new RedisShuffleStore(
                    System.getProperty("bench.redis", "redis://127.0.0.1:6379"), Duration.ofSeconds(5));
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
            SchedulerSettings settings = HandBuiltScheduler.settings(
                    Duration.ofMinutes(5), new SchedulerSettings.Dispatch(jobLimit, maxInFlight, 2));
            InProcessQueue queue = new InProcessQueue(timed);
            Scheduler scheduler = HandBuiltScheduler.on(
                    jdbc, tx, queue, shuffle, new CoordinatorMetrics(new SimpleMeterRegistry()), settings);
            EventApplier applier = new EventApplier(
                    scheduler,
                    new EventOffsetStore(jdbc),
                    "bench-events",
                    0,
                    "bench",
                    () -> true,
                    new CoordinatorMetrics(new SimpleMeterRegistry()));
            return new Rig(ds, shuffle, jdbc, scheduler, applier, queue);
        }

        @Override
        public void close() throws Exception {
            try (ds) {
                shuffle.close();
            }
        }
    }

    /** The machine's 1-minute load average, as a hint of what else ran; "?" where unknown. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /**
     * CPU seconds the benchmark database's server processes used so far, from /proc (PostgreSQL on
     * this machine); NaN where it cannot be read.
     */
    static double pgCpu(JdbcTemplate jdbc) {
        double ticks = 0;
        for (Integer pid : jdbc.queryForList(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()", Integer.class)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
        return ticks / 100.0; // USER_HZ
    }

    /** CPU seconds this JVM used so far (utime + stime from /proc/self/stat); NaN where unknown. */
    static double processCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // USER_HZ
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** What a reduce worker commits before it reports success. */
    static void commitReduces(JdbcTemplate jdbc, List<TaskMessage> reduces) {
        if (reduces.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(
                "INSERT INTO reduce_commits (job_id, partition, attempt, worker_id, output_rows) VALUES (?, ?, ?, ?, 0)",
                reduces.stream()
                        .map(r -> new Object[] {r.jobId(), r.taskIndex(), r.attempt(), "bench-reduce"})
                        .toList());
    }
}
