package dev.mapreduce.engine.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        if (splits < 1) {
            throw new IllegalArgumentException("the number of map splits must be at least 1, was " + splits);
        }
        long total = 0;
        long[] sizes = new long[files.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = size(files.get(i));
            total += sizes[i];
        }
        long target = Math.max(1, (total + splits - 1) / splits);
        List<InputSplit> result = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            Path file = files.get(i);
            long size = sizes[i];
            if (size == 0) {
                continue;
            }
            if (isGzip(file)) {
                result.add(new InputSplit(file, 0, size, true));
                continue;
            }
            int pieces = (int) Math.max(1, (size + target - 1) / target);
            for (int k = 0; k < pieces; k++) {
                long start = size * k / pieces;
                long end = size * (k + 1) / pieces;
                result.add(new InputSplit(file, start, end, false));
            }
        }
        return result;
    }

    static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
