package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.job.MapInput;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The benchmark's scale scenario: one job of many map tasks and many simulated workers, in real
 * time. Each worker sends a heartbeat every {@code heartbeatNanos} (its first one before the job is
 * submitted, the others spread over the interval), takes the next task message of its type when it
 * is idle and reports it STARTED, and reports SUCCEEDED once the task has run {@code taskNanos} (a
 * reduce worker commits its partition first). The events of all workers go, in the order they were
 * made, to the leader's {@link EventApplier} in polls of at most {@code poll} records, as the
 * consumer would return them; this one thread is the event loop, as in the coordinator. Dispatch
 * limits are automatic (from the live workers), as deployed by default.
 */
final class ScaleScenario {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final AttemptCounters COUNTERS = new AttemptCounters(100, 0, 100, 50, 800, 0, 0);

    /** {@code limitNanos} greater than 0 stops the run after that long, finished or not. */
    record Settings(
            int maps,
            int reducers,
            int mapWorkers,
            int reduceWorkers,
            long heartbeatNanos,
            long taskNanos,
            int poll,
            long limitNanos) {}

    /** Latencies in nanoseconds; percentiles in milliseconds. */
    static final class Latencies {
        private long[] values = new long[1024];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        String summary() {
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return String.format(
                    "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms (%d)",
                    at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99), at(sorted, 1.0), size);
        }

        private static double at(long[] sorted, double q) {
            return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e6;
        }
    }

    record Result(
            double seconds,
            long events,
            long heartbeats,
            int polls,
            double submitSeconds,
            double applyCpuSeconds,
            double processCpuSeconds,
            double pgCpuSeconds,
            Latencies waited,
            Latencies applied,
            int maxInFlight,
            long tasksDone,
            boolean finished) {}

    private final CoordinatorBench.Rig rig;
    private final Settings s;
    private final List<TaskEvent> pending = new ArrayList<>();
    private final Map<AttemptRef, Long> startedAt = new HashMap<>();
    private final Latencies waited = new Latencies();
    private final Latencies applied = new Latencies();
    private long offset;
    private long events;
    private long heartbeats;
    private int polls;
    private long applyCpu;
    private UUID jobId;

    ScaleScenario(CoordinatorBench.Rig rig, Settings s) {
        this.rig = rig;
        this.s = s;
    }

    Result run() {
        JdbcTemplate jdbc = rig.jdbc();
        int workers = s.mapWorkers() + s.reduceWorkers();
        TaskType[] type = new TaskType[workers];
        TaskMessage[] running = new TaskMessage[workers];
        long[] runningSince = new long[workers];
        long[] nextBeat = new long[workers];
        Map<TaskType, ArrayDeque<TaskMessage>> kafka =
                Map.of(TaskType.MAP, new ArrayDeque<>(), TaskType.REDUCE, new ArrayDeque<>());
        long start = System.nanoTime();
        double processCpuStart = CoordinatorBench.processCpu();
        double pgCpuStart = CoordinatorBench.pgCpu(jdbc);
        for (int w = 0; w < workers; w++) {
            type[w] = w < s.mapWorkers() ? TaskType.MAP : TaskType.REDUCE;
            nextBeat[w] = start + s.heartbeatNanos() * (w + 1) / workers;
            pending.add(TaskEvent.heartbeat(worker(w), type[w], List.of()));
        }
        applyPending();

        UUID jobId = UUID.randomUUID();
        long submitCpu = THREADS.getCurrentThreadCpuTime();
        long submitStart = System.nanoTime();
        List<MapInput> splits = new ArrayList<>(s.maps());
        for (int i = 0; i < s.maps(); i++) {
            splits.add(MapInput.ofRanges(List.of(new OffsetRange(0, 100L * i, 100L * (i + 1)))));
        }
        JobRequest request = new JobRequest(
                "bench-scale",
                "bench-input",
                null,
                null,
                null,
                s.maps(),
                s.reducers(),
                "WORD_COUNT",
                "SUM",
                Map.of(),
                true);
        List<TaskMessage> first = rig.scheduler().startJob(jobId, request, splits, 100L * s.maps(), null);
        rig.queue().send(first);
        rig.scheduler().markDispatched(first.stream().map(AttemptRef::of).toList());
        double submitSeconds = (System.nanoTime() - submitStart) / 1e9;
        applyCpu += THREADS.getCurrentThreadCpuTime() - submitCpu;

        int maxInFlight = 0;
        boolean finished = true;
        while (true) {
            if (s.limitNanos() > 0 && System.nanoTime() - start > s.limitNanos()) {
                finished = false;
                break;
            }
            for (TaskMessage m; (m = rig.queue().tasks.poll()) != null; ) {
                kafka.get(m.type()).add(m);
            }
            maxInFlight = Math.max(maxInFlight, inFlight(kafka.get(TaskType.MAP), running));
            long now = System.nanoTime();
            List<TaskMessage> reducesDone = new ArrayList<>();
            boolean busy = false;
            for (int w = 0; w < workers; w++) {
                if (now >= nextBeat[w]) {
                    List<AttemptRef> runs = running[w] == null ? List.of() : List.of(AttemptRef.of(running[w]));
                    pending.add(TaskEvent.heartbeat(worker(w), type[w], runs));
                    nextBeat[w] += s.heartbeatNanos();
                }
                if (running[w] != null && now - runningSince[w] >= s.taskNanos()) {
                    if (running[w].type() == TaskType.REDUCE) {
                        reducesDone.add(running[w]);
                    }
                    pending.add(TaskEvent.succeeded(running[w], worker(w), COUNTERS));
                    running[w] = null;
                }
                if (running[w] == null) {
                    TaskMessage m = kafka.get(type[w]).poll();
                    if (m != null) {
                        AttemptRef ref = AttemptRef.of(m);
                        waited.add(now - rig.queue().sentAt.remove(ref));
                        startedAt.put(ref, now);
                        running[w] = m;
                        runningSince[w] = now;
                        pending.add(TaskEvent.started(m, worker(w)));
                    }
                }
                busy |= running[w] != null;
            }
            CoordinatorBench.commitReduces(jdbc, reducesDone);
            boolean work = pending.stream().anyMatch(e -> e.kind() != TaskEvent.Kind.HEARTBEAT);
            applyPending();
            if (!busy
                    && !work
                    && rig.queue().tasks.isEmpty()
                    && kafka.values().stream().allMatch(ArrayDeque::isEmpty)) {
                break;
            }
            if (!work) {
                // nothing happened but heartbeats: wait for the next heartbeat or task end, not spin
                long next = Arrays.stream(nextBeat).min().orElse(now);
                for (int w = 0; w < workers; w++) {
                    if (running[w] != null) {
                        next = Math.min(next, runningSince[w] + s.taskNanos());
                    }
                }
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double processCpu = CoordinatorBench.processCpu() - processCpuStart;
        double pgCpu = CoordinatorBench.pgCpu(jdbc) - pgCpuStart;
        long tasks = (long) s.maps() + s.reducers();
        long done = jdbc.queryForObject("SELECT count(*) FROM task_attempts WHERE status = 'SUCCEEDED'", Long.class);
        this.jobId = jobId;
        return new Result(
                seconds,
                events,
                heartbeats,
                polls,
                submitSeconds,
                applyCpu / 1e9,
                processCpu,
                pgCpu,
                waited,
                applied,
                maxInFlight,
                done,
                finished);
    }

    /** After a run that was not stopped early: the job completed, each task once, every worker alive. */
    void check() {
        JdbcTemplate jdbc = rig.jdbc();
        long tasks = (long) s.maps() + s.reducers();
        int workers = s.mapWorkers() + s.reduceWorkers();

        assertThat(jdbc.queryForObject("SELECT status FROM jobs WHERE job_id = ?", String.class, jobId))
                .as(() -> "the job, with nothing left to run; attempts "
                        + jdbc.queryForList(
                                "SELECT task_type || ' ' || status || ' ' || count(*) FROM task_attempts"
                                        + " GROUP BY task_type, status",
                                String.class)
                        + ", tasks "
                        + jdbc.queryForList(
                                "SELECT task_type || ' ' || status || ' ' || count(*)"
                                        + " FROM tasks GROUP BY task_type, status",
                                String.class))
                .isEqualTo("COMPLETED");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_attempts WHERE status = 'SUCCEEDED'", Long.class))
                .isEqualTo(tasks);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_attempts", Long.class))
                .as("no attempt lost or run twice")
                .isEqualTo(tasks);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM workers WHERE status = 'ALIVE'", Long.class))
                .isEqualTo(workers);
        assertThat(rig.queue().controls).isZero();
    }

    private static String worker(int w) {
        return "sim-worker-" + w;
    }

    private static int inFlight(ArrayDeque<TaskMessage> queued, TaskMessage[] running) {
        int n = queued.size();
        for (TaskMessage m : running) {
            n += m != null && m.type() == TaskType.MAP ? 1 : 0;
        }
        return n;
    }

    /** Applies what the workers sent, in polls, as the leader's event loop does. */
    private void applyPending() {
        for (int from = 0; from < pending.size(); from += s.poll()) {
            List<TaskEvent> chunk = pending.subList(from, Math.min(pending.size(), from + s.poll()));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>(chunk.size());
            for (TaskEvent e : chunk) {
                String key = e.jobId() == null ? e.workerId() : e.jobId().toString();
                records.add(new ConsumerRecord<>("bench-events", 0, offset++, key, Messages.encode(e)));
            }
            long cpu = THREADS.getCurrentThreadCpuTime();
            rig.applier().apply(records);
            applyCpu += THREADS.getCurrentThreadCpuTime() - cpu;
            long now = System.nanoTime();
            for (TaskEvent e : chunk) {
                if (e.kind() == TaskEvent.Kind.HEARTBEAT) {
                    heartbeats++;
                } else if (e.kind() == TaskEvent.Kind.STARTED) {
                    applied.add(now - startedAt.remove(e.attemptRef()));
                }
            }
            events += chunk.size();
            polls++;
        }
        pending.clear();
    }
}
