package dev.mapreduce.runtime;

import dev.mapreduce.engine.shuffle.CorruptRunException;
import dev.mapreduce.engine.shuffle.RunSource;
import dev.mapreduce.protocol.MapRunRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Where map attempts leave their runs for the reducers: one run per (reduce partition, map task,
 * attempt), written whole or not at all, read back a window at a time, kept alive while its job
 * runs and deleted when the job ends. The Redis store is
 * {@link dev.mapreduce.runtime.redis.RedisShuffleStore}. Implementations are thread-safe.
 */
public interface ShuffleStore extends AutoCloseable {

    /** Stores one map attempt's runs, {@code runs[p]} for reduce partition {@code p}, each expiring after {@code ttl}. */
    default void writeRuns(UUID jobId, int mapTask, int attempt, byte[][] runs, Duration ttl) {
        try {
            writeRuns(
                    jobId,
                    mapTask,
                    attempt,
                    Arrays.stream(runs).map(RunSource::of).toList(),
                    ttl);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // runs in memory cannot fail to be read
        }
    }

    /**
     * Stores one map attempt's runs, {@code runs.get(p)} for reduce partition {@code p}, each
     * expiring after {@code ttl} unless {@link #keepAlive} renews them.
     *
     * @throws IOException if a run cannot be read from its file
     * @throws ShuffleStoreException if the store refuses or does not answer
     */
    void writeRuns(UUID jobId, int mapTask, int attempt, List<RunSource> runs, Duration ttl) throws IOException;

    /**
     * Opens the runs of reduce partition {@code partition} written by {@code maps}, in the same
     * order, reading up to {@code windowBytes} of each at once.
     *
     * @throws MissingRunException naming the first map task whose run is gone
     * @throws CorruptRunException whose {@link CorruptRunException#source()} is the index in
     *     {@code maps} of a run whose stored form is damaged
     */
    List<StoredRun> openRuns(UUID jobId, int partition, List<MapRunRef> maps, int windowBytes);

    /**
     * The runs of reduce partition {@code partition} written by {@code maps}, in the same order,
     * each whole in memory: for tests and tools, not for partitions of unknown size.
     *
     * @throws MissingRunException naming the first map task whose run is gone
     */
    List<byte[]> fetchRuns(UUID jobId, int partition, List<MapRunRef> maps);

    /** The map tasks among {@code maps} whose run of reduce partition {@code partition} is gone. */
    List<Integer> missingRuns(UUID jobId, int partition, List<MapRunRef> maps);

    /**
     * Makes every run the job has stored so far live {@code ttl} from now: a running job's runs
     * must not expire however long its map phase, or its reduces' wait for slots, takes. Returns
     * how many keys it renewed.
     */
    long keepAlive(UUID jobId, Duration ttl);

    /** Deletes every run of the job, of every attempt; returns how many keys there were. */
    long deleteJob(UUID jobId);

    /** Whether the store answers. */
    boolean ping();

    @Override
    void close();
}
