package dev.mapreduce.coordinator.job;

import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.InputSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Cuts input files into splits and groups the splits into map tasks.
 *
 * <p>Splits: a plain file is cut into byte ranges of at most the split size, which lines then
 * follow as Hadoop's TextInputFormat does (every line is read by exactly one split, wherever the
 * cut falls); a {@code .gz} file is one split; an empty file none. An input smaller than
 * {@code numMappers} split sizes is cut into about {@code numMappers} splits, so every mapper has
 * work, but never into pieces under {@value #MIN_SPLIT_BYTES} bytes (1 MiB), which would cost more
 * to schedule than to read; a file smaller than that stays whole.
 *
 * <p>Tasks: {@code numMappers} of them (fewer if there are fewer splits, at least one even for an
 * empty input), each a run of consecutive splits of about equal bytes in total: a split goes to
 * the task its middle byte falls in.
 */
final class FilePlanner {

    /** Splits are not cut smaller than this unless the whole input is. */
    static final long MIN_SPLIT_BYTES = 1L << 20;

    /** Keeps a task message far below Kafka's 1 MB default message limit. */
    static final int MAX_SPLITS_PER_TASK = 2000;

    private FilePlanner() {}

    /** The splits of {@code files}, in order, each at most the size {@link #splitBytes} gives. */
    static List<InputSplit> split(List<Path> files, long splitSize, int numMappers) {
        long total = 0;
        for (Path file : files) {
            total += size(file);
        }
        return FileSplitter.split(files, splitCount(total, splitSize, numMappers));
    }

    /** How many splits an input of {@code total} bytes is cut into. */
    static int splitCount(long total, long splitSize, int numMappers) {
        long target = splitBytes(total, splitSize, numMappers);
        long count = Math.max(1, (total + target - 1) / target);
        return (int) Math.min(count, Integer.MAX_VALUE);
    }

    /** The largest split: the input's share per mapper, but at least 1 MiB and at most the split size. */
    static long splitBytes(long total, long splitSize, int numMappers) {
        long share = (total + numMappers - 1) / numMappers;
        return Math.max(1, Math.min(splitSize, Math.max(share, MIN_SPLIT_BYTES)));
    }

    /** {@code splits} in at most {@code numMappers} groups of consecutive splits, about equal in bytes. */
    static List<List<InputSplit>> group(List<InputSplit> splits, int numMappers) {
        return group(splits, InputSplit::length, numMappers);
    }

    /** {@link #group(List, int)} over any kind of split. */
    static <S> List<List<S>> group(List<S> splits, ToLongFunction<S> length, int numMappers) {
        int tasks = Math.max(1, Math.min(numMappers, splits.size()));
        long total = splits.stream().mapToLong(length).sum();
        List<List<S>> groups = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            groups.add(new ArrayList<>());
        }
        long before = 0;
        for (S split : splits) {
            long bytes = length.applyAsLong(split);
            double middle = (before + bytes / 2.0) / total;
            groups.get((int) Math.min(tasks - 1, Math.floor(middle * tasks))).add(split);
            before += bytes;
        }
        if (splits.isEmpty()) {
            return groups;
        }
        groups.removeIf(List::isEmpty);
        return groups;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
