package dev.mapreduce.engine.task;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.shuffle.RunMerger;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.engine.shuffle.StateCodec;
import dev.mapreduce.engine.shuffle.StateOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A map task's spill files, in a folder of their own made under the spill directory on first use
 * and deleted with everything in it on {@link #close()}. Spills are merged partition by
 * partition, streaming: {@value #MERGE_FACTOR} at a time while the task runs (so a merge never
 * holds more open readers than that), and all of them into the task's output at the end.
 */
final class Spills implements AutoCloseable {

    static final int MERGE_FACTOR = 64;
    /** Each run being merged is read through a buffer of this size. */
    static final int READ_BUFFER_BYTES = 64 * 1024;

    private final Path directory;
    private final int partitions;
    private final ReduceFunction function;
    private final StateCodec codec;
    private final boolean combine;
    private final List<Spill> spills = new ArrayList<>();
    private Path folder;
    private int files;

    Spills(Path directory, int partitions, ReduceFunction function, boolean combine) {
        this(directory, partitions, function, null, combine);
    }

    Spills(Path directory, int partitions, StateCodec codec, boolean combine) {
        this(directory, partitions, null, codec, combine);
    }

    private Spills(Path directory, int partitions, ReduceFunction function, StateCodec codec, boolean combine) {
        this.directory = directory;
        this.partitions = partitions;
        this.function = function;
        this.codec = codec;
        this.combine = combine;
    }

    boolean isEmpty() {
        return spills.isEmpty();
    }

    /** A writer for a new spill file; give what it wrote to {@link #add}. */
    SpillWriter create() throws IOException {
        if (folder == null) {
            Files.createDirectories(directory);
            folder = Files.createTempDirectory(directory, "map-spill-");
        }
        return new SpillWriter(
                folder.resolve("spill-" + files++),
                partitions,
                function != null && function.usesCount(),
                codec != null);
    }

    void add(Spill spill) throws IOException {
        spills.add(spill);
        if (spills.size() >= MERGE_FACTOR) {
            Spill merged = merge(spills);
            spills.clear();
            spills.add(merged);
        }
    }

    /** All spills merged into one, which holds each partition's run of the whole task. */
    Spill mergeAll() throws IOException {
        if (spills.size() > 1) {
            Spill merged = merge(spills);
            spills.clear();
            spills.add(merged);
        }
        return spills.get(0);
    }

    private Spill merge(List<Spill> inputs) throws IOException {
        List<FileChannel> channels = new ArrayList<>();
        try (SpillWriter out = create()) {
            for (Spill spill : inputs) {
                channels.add(FileChannel.open(spill.file()));
            }
            for (int p = 0; p < partitions; p++) {
                List<RunReader> readers = new ArrayList<>();
                for (int i = 0; i < inputs.size(); i++) {
                    Spill spill = inputs.get(i);
                    if (spill.has(p)) {
                        FileSlice run = new FileSlice(channels.get(i), spill.offsets()[p], spill.offsets()[p + 1]);
                        readers.add(new RunReader(run, READ_BUFFER_BYTES, i));
                    }
                }
                if (!readers.isEmpty()) {
                    RunWriter writer = out.start(p);
                    if (codec != null) {
                        StateOutput encoded = new StateOutput();
                        RunMerger.mergeStates(readers, codec, combine, (key, len, state) -> {
                            encoded.reset();
                            codec.encode(state, encoded);
                            writer.addState(key, 0, len, encoded.bytes(), 0, encoded.length());
                        });
                    } else {
                        RunMerger.merge(readers, function, combine, (key, len, a, b) -> writer.add(key, 0, len, a, b));
                    }
                    out.end(writer);
                }
            }
            Spill merged = out.finish();
            for (Spill spill : inputs) {
                Files.delete(spill.file());
            }
            return merged;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (FileChannel channel : channels) {
                channel.close();
            }
        }
    }

    /** Deletes the spill folder and everything in it. */
    @Override
    public void close() {
        spills.clear();
        if (folder == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spill folder " + folder, e);
        }
    }
}
