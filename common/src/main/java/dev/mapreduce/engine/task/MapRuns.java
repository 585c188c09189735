package dev.mapreduce.engine.task;

import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.shuffle.RunSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;

/**
 * A map task's encoded runs, one per reduce partition, or none for a partition it has no key
 * for: in memory when the task's output is small, else in one file of its spill folder (see
 * {@link MapTask}). Closing deletes the file; the runs must not be read afterwards.
 */
public final class MapRuns implements AutoCloseable {

    private final byte[][] inMemory;
    private final Spill spill;
    private final Spills spills;
    private final FileChannel channel;

    private MapRuns(byte[][] inMemory, Spill spill, Spills spills, FileChannel channel) {
        this.inMemory = inMemory;
        this.spill = spill;
        this.spills = spills;
        this.channel = channel;
    }

    /** Runs held in memory, {@code runs[p]} for partition {@code p}, {@code null} for none. */
    public static MapRuns of(byte[][] runs) {
        return new MapRuns(runs.clone(), null, null, null);
    }

    /** The runs of {@code spill}, one of {@code spills}, which this takes over. */
    static MapRuns of(Spill spill, Spills spills) throws IOException {
        return new MapRuns(null, spill, spills, FileChannel.open(spill.file()));
    }

    public int partitions() {
        return inMemory != null ? inMemory.length : spill.offsets().length - 1;
    }

    /** Whether the task has a run for {@code partition}. */
    public boolean has(int partition) {
        return inMemory != null ? inMemory[partition] != null : spill.has(partition);
    }

    /** The run's size in bytes, 0 for none. */
    public long size(int partition) {
        if (inMemory != null) {
            return inMemory[partition] == null ? 0 : inMemory[partition].length;
        }
        return spill.size(partition);
    }

    /** Whether the runs are in a file rather than in memory. */
    public boolean onDisk() {
        return inMemory == null;
    }

    /** The run of {@code partition}, to read as often as needed until this is closed; {@code null} for none. */
    public RunSource run(int partition) {
        if (!has(partition)) {
            return null;
        }
        if (inMemory != null) {
            return RunSource.of(inMemory[partition]);
        }
        long start = spill.offsets()[partition];
        long end = spill.offsets()[partition + 1];
        return new RunSource() {
            @Override
            public long size() {
                return end - start;
            }

            @Override
            public InputStream open() {
                return new FileSlice(channel, start, end);
            }
        };
    }

    /**
     * A reader of the run of {@code partition}, which must exist: over the bytes in memory, or
     * streaming the file through a buffer of {@code bufferBytes}.
     */
    public RunReader reader(int partition, int bufferBytes) {
        if (!has(partition)) {
            throw new IllegalArgumentException("no run for partition " + partition);
        }
        if (inMemory != null) {
            return new RunReader(inMemory[partition]);
        }
        return new RunReader(
                new FileSlice(channel, spill.offsets()[partition], spill.offsets()[partition + 1]),
                bufferBytes,
                partition);
    }

    /** The bytes of every run: for tests and small outputs. */
    public byte[][] toArrays() throws IOException {
        byte[][] runs = new byte[partitions()][];
        for (int p = 0; p < runs.length; p++) {
            runs[p] = has(p) ? run(p).readAll() : null;
        }
        return runs;
    }

    /** Deletes the runs' file, if they have one. */
    @Override
    public void close() {
        if (spills == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            spills.close();
        }
    }
}
