package dev.mapreduce.engine.task;

import java.nio.file.Path;

/**
 * One spill file: a sorted run per reduce partition, back to back, partition {@code p}'s run at
 * bytes {@code [offsets[p], offsets[p + 1])} (empty when the spill has no key for it).
 *
 * @param entries entries in all its runs
 */
record Spill(Path file, long[] offsets, long entries) {

    boolean has(int partition) {
        return offsets[partition + 1] > offsets[partition];
    }

    long size(int partition) {
        return offsets[partition + 1] - offsets[partition];
    }
}
