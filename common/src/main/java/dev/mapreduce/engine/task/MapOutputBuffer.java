package dev.mapreduce.engine.task;

import dev.mapreduce.engine.function.Emitter;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.partition.Murmur3;
import dev.mapreduce.engine.partition.Partitioner;
import dev.mapreduce.engine.shuffle.RunMerger;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.shuffle.RunWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A map task's output buffer, Hadoop's sort buffer: keys in one byte arena, partials in
 * parallel arrays and, with the combiner on, an open-addressing hash table that folds each
 * emitted value into its key's partial at once. Past its memory budget it spills a sorted run
 * per partition and starts again; at the end the spills of each partition are merged into the
 * task's one run for that partition.
 */
final class MapOutputBuffer implements Emitter {

    /** Bytes an entry costs besides its key: five arrays, a sort index and two hash slots. */
    private static final int ENTRY_OVERHEAD = 4 * 4 + 2 * 8 + 4 + 2 * 4;

    private final ReduceFunction function;
    private final boolean combine;
    private final Partitioner partitioner;
    private final int partitions;
    private final long budgetBytes;
    private final List<List<byte[]>> spills;

    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private int[] keyOff = new int[1024];
    private int[] keyLen = new int[1024];
    private int[] partition = new int[1024];
    private int[] hash = new int[1024];
    private long[] a = new long[1024];
    private long[] b = new long[1024];
    private int entries;
    /** Entry index + 1 per slot, 0 when free; only with the combiner. */
    private int[] slots;

    private long emitted;
    private long written;

    MapOutputBuffer(
            ReduceFunction function, boolean combine, Partitioner partitioner, int partitions, long budgetBytes) {
        this.function = function;
        this.combine = combine;
        this.partitioner = partitioner;
        this.partitions = partitions;
        this.budgetBytes = budgetBytes;
        this.slots = combine ? new int[2048] : null;
        this.spills = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            spills.add(new ArrayList<>());
        }
    }

    @Override
    public void emit(byte[] key, int off, int len, long value) {
        emitted++;
        if (!combine) {
            append(key, off, len, 0, value);
        } else {
            int h = Murmur3.hash32(key, off, len);
            int mask = slots.length - 1;
            int s = h & mask;
            while (true) {
                int e = slots[s] - 1;
                if (e < 0) {
                    slots[s] = append(key, off, len, h, value) + 1;
                    if (entries * 2 > slots.length) {
                        rehash();
                    }
                    break;
                }
                if (hash[e] == h
                        && keyLen[e] == len
                        && Arrays.equals(arena, keyOff[e], keyOff[e] + len, key, off, off + len)) {
                    a[e] = function.merge(a[e], function.first(value));
                    b[e] = function.mergeCount(b[e], function.firstCount());
                    return;
                }
                s = (s + 1) & mask;
            }
        }
        if (memoryUsed() > budgetBytes) {
            spill();
        }
    }

    /** Entries in the runs {@link #finish} returned. */
    long written() {
        return written;
    }

    /** Pairs emitted so far. */
    long emitted() {
        return emitted;
    }

    private int append(byte[] key, int off, int len, int h, long value) {
        if (entries == keyOff.length) {
            int n = entries * 2;
            keyOff = Arrays.copyOf(keyOff, n);
            keyLen = Arrays.copyOf(keyLen, n);
            partition = Arrays.copyOf(partition, n);
            hash = Arrays.copyOf(hash, n);
            a = Arrays.copyOf(a, n);
            b = Arrays.copyOf(b, n);
        }
        if (arenaUsed + len > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaUsed + len));
        }
        System.arraycopy(key, off, arena, arenaUsed, len);
        int e = entries++;
        keyOff[e] = arenaUsed;
        keyLen[e] = len;
        arenaUsed += len;
        hash[e] = h;
        partition[e] = partitioner.partition(key, off, len, partitions);
        a[e] = function.first(value);
        b[e] = function.firstCount();
        return e;
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int e = 0; e < entries; e++) {
            int s = hash[e] & mask;
            while (bigger[s] != 0) {
                s = (s + 1) & mask;
            }
            bigger[s] = e + 1;
        }
        slots = bigger;
    }

    /** Bytes the buffered entries take; capacity kept after a spill is reused, so it does not count. */
    private long memoryUsed() {
        return arenaUsed + (long) entries * ENTRY_OVERHEAD;
    }

    /** Writes the buffered entries as one sorted run per partition and empties the buffer. */
    private void spill() {
        byte[][] runs = sortedRuns();
        for (int p = 0; p < partitions; p++) {
            if (runs[p] != null) {
                spills.get(p).add(runs[p]);
            }
        }
        entries = 0;
        arenaUsed = 0;
        if (slots != null) {
            Arrays.fill(slots, 0);
        }
    }

    /** The task's output: one run per partition, {@code null} for a partition it has no keys for. */
    byte[][] finish() {
        boolean spilled = spills.stream().anyMatch(s -> !s.isEmpty());
        if (!spilled) {
            written = entries;
            return sortedRuns();
        }
        spill();
        byte[][] runs = new byte[partitions][];
        for (int p = 0; p < partitions; p++) {
            List<byte[]> parts = spills.get(p);
            if (parts.isEmpty()) {
                continue;
            }
            RunWriter writer = new RunWriter(function.usesCount());
            RunMerger.merge(
                    parts.stream().map(RunReader::new).toList(),
                    function,
                    combine,
                    (key, len, pa, pb) -> writer.add(key, 0, len, pa, pb));
            runs[p] = writer.finish();
            written += writer.entries();
            parts.clear();
        }
        return runs;
    }

    private byte[][] sortedRuns() {
        int[] start = new int[partitions + 1];
        for (int e = 0; e < entries; e++) {
            start[partition[e] + 1]++;
        }
        for (int p = 0; p < partitions; p++) {
            start[p + 1] += start[p];
        }
        int[] idx = new int[entries];
        int[] next = Arrays.copyOf(start, partitions);
        for (int e = 0; e < entries; e++) {
            idx[next[partition[e]]++] = e;
        }
        KeySort sort = new KeySort(arena, keyOff, keyLen, entries);
        byte[][] runs = new byte[partitions][];
        for (int p = 0; p < partitions; p++) {
            int from = start[p];
            int to = start[p + 1];
            if (from == to) {
                continue;
            }
            sort.sort(idx, from, to);
            RunWriter writer = new RunWriter(function.usesCount(), (to - from) * 8);
            for (int i = from; i < to; i++) {
                int e = idx[i];
                writer.add(arena, keyOff[e], keyLen[e], a[e], b[e]);
            }
            runs[p] = writer.finish();
        }
        return runs;
    }
}
