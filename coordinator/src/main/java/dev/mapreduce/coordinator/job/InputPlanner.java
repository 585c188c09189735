package dev.mapreduce.coordinator.job;

import dev.mapreduce.protocol.OffsetRange;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a job's input, fixed at submit as {@code [start, end)} offset ranges per partition, into
 * map tasks of nearly equal record counts. Ranges are cut where needed, so one task may read the
 * end of one partition and the start of the next. There are never more tasks than records (but
 * always at least one, so an empty input still runs through the job like any other).
 */
final class InputPlanner {

    private InputPlanner() {}

    static List<List<OffsetRange>> split(List<OffsetRange> input, int numMappers) {
        if (numMappers < 1) {
            throw new IllegalArgumentException("numMappers must be at least 1, got " + numMappers);
        }
        long total = input.stream().mapToLong(OffsetRange::count).sum();
        int tasks = (int) Math.max(1, Math.min(numMappers, total));
        List<List<OffsetRange>> splits = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            splits.add(new ArrayList<>());
        }
        if (total == 0) {
            return splits;
        }
        // Task t takes the records with global index in [total * t / tasks, total * (t + 1) / tasks).
        long base = 0;
        for (OffsetRange range : input) {
            long from = base;
            long to = base + range.count();
            for (int t = 0; t < tasks && from < to; t++) {
                long lo = Math.max(from, boundary(total, t, tasks));
                long hi = Math.min(to, boundary(total, t + 1, tasks));
                if (lo < hi) {
                    splits.get(t)
                            .add(new OffsetRange(
                                    range.partition(), range.start() + (lo - base), range.start() + (hi - base)));
                }
            }
            base = to;
        }
        return splits;
    }

    private static long boundary(long total, int t, int tasks) {
        // floor(total * t / tasks) without overflow
        return total / tasks * t + total % tasks * t / tasks;
    }
}
