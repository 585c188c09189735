package dev.mapreduce.engine.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/** Cuts input files into map splits of about equal size; a {@code .gz} file is one split. */
public final class FileSplitter {

    private FileSplitter() {}

    /**
     * The regular files named by {@code inputs}, folders expanded to the files directly in them
     * (hidden files and {@code _}-prefixed ones, such as {@code _SUCCESS}, skipped), sorted by name.
     */
    public static List<Path> listFiles(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                try (Stream<Path> children = Files.list(input)) {
                    children.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith(".")
                                    && !p.getFileName().toString().startsWith("_"))
                            .sorted()
                            .forEach(files::add);
                }
            } else if (Files.isRegularFile(input)) {
                files.add(input);
            } else {
                throw new NoSuchFileException(input.toString(), null, "no such file or folder");
            }
        }
        return files;
    }

    /**
     * Splits {@code files} into about {@code splits} byte ranges: each plain file into pieces of at
     * most {@code ceil(total / splits)} bytes (so a file is never in fewer pieces than its share),
     * each gzip file into one split; empty files give none.
     */
    public static List<InputSplit> split(List<Path> files, int splits) {
        return split(files, FileSplitter::size, FileSplitter::isGzip, splits, InputSplit::new);
    }

    /** Makes one split of a file. */
    @FunctionalInterface
    public interface SplitMaker<F, S> {
        S split(F file, long start, long end, boolean gzip);
    }

    /**
     * {@link #split(List, int)} over any kind of file (objects in a store, say), each with its size
     * and whether it is gzip, making each split with {@code maker}.
     */
    public static <F, S> List<S> split(
            List<F> files, ToLongFunction<F> size, Predicate<F> gzip, int splits, SplitMaker<F, S> maker) {
        if (splits < 1) {
            throw new IllegalArgumentException("the number of map splits must be at least 1, was " + splits);
        }
        long total = 0;
        long[] sizes = new long[files.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = size.applyAsLong(files.get(i));
            total += sizes[i];
        }
        long target = Math.max(1, (total + splits - 1) / splits);
        List<S> result = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            F file = files.get(i);
            long length = sizes[i];
            if (length == 0) {
                continue;
            }
            if (gzip.test(file)) {
                result.add(maker.split(file, 0, length, true));
                continue;
            }
            int pieces = (int) Math.max(1, (length + target - 1) / target);
            for (int k = 0; k < pieces; k++) {
                long start = length * k / pieces;
                long end = length * (k + 1) / pieces;
                result.add(maker.split(file, start, end, false));
            }
        }
        return result;
    }

    /** A name ending in {@code .gz}. */
    public static boolean isGzip(String name) {
        return name.endsWith(".gz");
    }

    static boolean isGzip(Path file) {
        return isGzip(file.getFileName().toString());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
