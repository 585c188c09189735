package dev.mapreduce.engine.task;

import dev.mapreduce.engine.shuffle.RunWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes one {@link Spill}: runs streamed to the file in ascending partition order. */
final class SpillWriter implements AutoCloseable {

    private final Path file;
    private final OutputStream out;
    private final boolean withCount;
    private final boolean withState;
    private final long[] offsets;
    private long at;
    private long entries;
    private int next;
    private boolean closed;

    SpillWriter(Path file, int partitions, boolean withCount, boolean withState) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 64 * 1024);
        this.withCount = withCount;
        this.withState = withState;
        this.offsets = new long[partitions + 1];
    }

    /** A writer for partition {@code partition}'s run; partitions come in ascending order, each once. */
    RunWriter start(int partition) {
        if (partition < next) {
            throw new IllegalStateException("partition " + partition + " after partition " + (next - 1));
        }
        while (next <= partition) {
            offsets[next++] = at;
        }
        return withState ? RunWriter.ofStates(out) : new RunWriter(withCount, out);
    }

    /** Ends the run {@link #start} gave. */
    void end(RunWriter run) {
        run.end();
        at += run.size();
        entries += run.entries();
    }

    /** Closes the file; the spill it holds. */
    Spill finish() throws IOException {
        while (next < offsets.length) {
            offsets[next++] = at;
        }
        closed = true;
        out.close();
        return new Spill(file, offsets, entries);
    }

    /** Closes the file if {@link #finish} did not (after a failure). */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }
}
