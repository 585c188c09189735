package dev.mapreduce.runtime;

import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.TaskType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The meters of one worker's task attempts, tagged {@code type="map"|"reduce"}; in Prometheus
 * {@code mapreduce_tasks_started_total{type="map"}}, {@code mapreduce_task_duration_seconds_bucket}, … (the
 * registry adds {@code _total} and the unit). Map workers also time their shuffle writes to Redis and count the
 * bytes; reduce workers time their shuffle reads and their PostgreSQL commits and count the rows committed.
 *
 * <p>Durations are histograms with fixed buckets, so {@code histogram_quantile} works across workers. Record
 * counts come from successful attempts only: a failed attempt reports no counters.
 */
public final class TaskMetrics {

    /** Task and commit run times: from a tiny split to a long reduce. */
    private static final Duration[] TASK_BUCKETS =
            seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600);

    /** One pipelined write or MGET of a task's runs. */
    private static final Duration[] SHUFFLE_BUCKETS =
            seconds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);

    private final TaskType type;
    private final Counter started;
    private final Counter completed;
    private final Counter failed;
    private final Counter aborted;
    private final Timer duration;
    private final Counter recordsRead;
    private final Counter recordsMalformed;
    private final Counter recordsOutput;
    private final Timer shuffleIo;
    private final Counter shuffleBytes;
    private final Timer commit;
    private final Counter rowsWritten;

    public TaskMetrics(MeterRegistry registry, TaskType type) {
        this.type = type;
        String tag = type.tag();
        this.started = counter(registry, "mapreduce.tasks.started", "Task attempts taken", tag);
        this.completed = counter(registry, "mapreduce.tasks.completed", "Task attempts that succeeded", tag);
        this.failed = counter(registry, "mapreduce.tasks.failed", "Task attempts that failed", tag);
        this.aborted =
                counter(registry, "mapreduce.tasks.aborted", "Task attempts stopped because they were cancelled", tag);
        this.duration = Timer.builder("mapreduce.task.duration")
                .description("Run time of task attempts, successful or not")
                .tag("type", tag)
                .serviceLevelObjectives(TASK_BUCKETS)
                .register(registry);
        this.recordsRead = counter(
                registry,
                "mapreduce.records.read",
                "Records read by successful attempts: input lines (map), merged shuffle entries (reduce)",
                tag);
        this.recordsMalformed = counter(
                registry,
                "mapreduce.records.malformed",
                "Input lines skipped as malformed by successful attempts",
                tag);
        this.recordsOutput = counter(
                registry,
                "mapreduce.records.output",
                "Records written by successful attempts: map function output (map), result rows (reduce)",
                tag);
        if (type == TaskType.MAP) {
            this.shuffleIo = Timer.builder("mapreduce.shuffle.write")
                    .description("Time to store one map attempt's runs in Redis")
                    .serviceLevelObjectives(SHUFFLE_BUCKETS)
                    .register(registry);
            this.shuffleBytes = Counter.builder("mapreduce.shuffle.bytes")
                    .description("Encoded map output bytes written to the shuffle store")
                    .baseUnit("bytes")
                    .tag("type", tag)
                    .register(registry);
            this.commit = null;
            this.rowsWritten = null;
        } else {
            this.shuffleIo = Timer.builder("mapreduce.shuffle.read")
                    .description("Time to open one reduce partition's runs in Redis: small runs are read whole,"
                            + " long ones their first window (the rest streams during the commit)")
                    .serviceLevelObjectives(SHUFFLE_BUCKETS)
                    .register(registry);
            this.shuffleBytes = null;
            this.commit = Timer.builder("mapreduce.reduce.commit")
                    .description("Time to reduce a partition into PostgreSQL and commit it (COPY streams as the"
                            + " merge runs)")
                    .serviceLevelObjectives(TASK_BUCKETS)
                    .register(registry);
            this.rowsWritten = Counter.builder("mapreduce.results.rows.written")
                    .description("Result rows committed to PostgreSQL")
                    .register(registry);
        }
    }

    public void started() {
        started.increment();
    }

    /** Records a success that began at {@code startNanos}, with what it counted, and returns its duration. */
    public Duration completed(long startNanos, AttemptCounters counters) {
        completed.increment();
        if (type == TaskType.MAP) {
            recordsRead.increment(counters.recordsRead());
            recordsMalformed.increment(counters.malformedRecords());
            recordsOutput.increment(counters.mapOutputRecords());
        } else {
            recordsRead.increment(counters.reduceInputRecords());
            recordsOutput.increment(counters.outputRecords());
        }
        return record(startNanos);
    }

    /** Records a failure that began at {@code startNanos} and returns its duration. */
    public Duration failed(long startNanos) {
        failed.increment();
        return record(startNanos);
    }

    /** Records a cancelled attempt that began at {@code startNanos} and returns its duration. */
    public Duration aborted(long startNanos) {
        aborted.increment();
        return record(startNanos);
    }

    /** A map attempt stored {@code bytes} of runs in Redis, in {@code took}. */
    public void shuffleWritten(Duration took, long bytes) {
        requireType(TaskType.MAP);
        shuffleIo.record(took);
        shuffleBytes.increment(bytes);
    }

    /** A reduce attempt opened its runs in Redis (or failed to) in {@code took}: small runs whole, long ones their first window. */
    public void shuffleRead(Duration took) {
        requireType(TaskType.REDUCE);
        shuffleIo.record(took);
    }

    /** A reduce attempt committed {@code rows} result rows in {@code took}. */
    public void committed(Duration took, long rows) {
        requireType(TaskType.REDUCE);
        commit.record(took);
        rowsWritten.increment(rows);
    }

    private void requireType(TaskType expected) {
        if (type != expected) {
            throw new IllegalStateException("not a meter of " + type.tag() + " tasks");
        }
    }

    private Duration record(long startNanos) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        duration.record(took);
        return took;
    }

    private static Counter counter(MeterRegistry registry, String name, String description, String type) {
        return Counter.builder(name).description(description).tag("type", type).register(registry);
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }
}
