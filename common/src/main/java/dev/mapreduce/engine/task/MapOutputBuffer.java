package dev.mapreduce.engine.task;

import dev.mapreduce.engine.function.Emitter;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.partition.Murmur3;
import dev.mapreduce.engine.partition.Partitioner;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.engine.shuffle.StateCodec;
import dev.mapreduce.engine.shuffle.StateEmitter;
import dev.mapreduce.engine.shuffle.StateOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A map task's output buffer, Hadoop's sort buffer: keys in one byte arena, partials in
 * parallel arrays and, with the combiner on, an open-addressing hash table that folds each
 * emitted value into its key's partial at once. Its arrays never grow past its memory budget:
 * when the entries fill the budget, or when growing would pass it, it spills a sorted run per
 * partition to a file and starts again. At the end the spills are merged, streaming, into the
 * task's output file; a task that never spilled and whose output is small keeps it in memory.
 *
 * <p>A query's buffer holds an aggregate state object per key instead of the two longs (see
 * {@link StateCodec}): {@link #state} finds or makes it, the caller folds its record into it,
 * and spills encode it; the built-in functions' path is untouched. Keys {@link #add}ed (a
 * count(DISTINCT)'s values) are looked up like any other until {@link #ADDS_TO_DECIDE} of them
 * have been; if more than half of those were new to the task, the rest skip the hash table: they
 * are appended, and a sorted run holds each once (in (d) 77,000 of a task's 82,000 values are
 * new to it, and the lookups mostly missed; a few values repeated often stay in the table).
 */
final class MapOutputBuffer implements Emitter, StateEmitter, AutoCloseable {

    /**
     * Bytes an entry of capacity costs: keyOff, keyLen, partition and hash ints, a and b longs,
     * and, at a spill, the sort's key prefix (long) and length left (byte), index and merge scratch
     * (ints).
     */
    private static final int ENTRY_BYTES = 4 * 4 + 2 * 8 + 8 + 1 + 4 + 4;
    /** Hash slots per entry at most, with the combiner (the table is kept at most half full). */
    private static final int SLOT_BYTES = 2 * 4;

    private final ReduceFunction function;
    /** A query's aggregate states; null for the built-in functions' partials. */
    private final StateCodec codec;

    private final StateOutput stateOut;
    /** What {@link #usedBytes} counts per buffered entry. */
    private final long entryBytes;

    private final boolean combine;
    private final Partitioner partitioner;
    private final int partitions;
    private final long budgetBytes;
    private final Spills spills;

    private byte[] arena = new byte[1 << 16];
    private int arenaUsed;
    private int[] keyOff = new int[1024];
    private int[] keyLen = new int[1024];
    private int[] partition = new int[1024];
    private int[] hash = new int[1024];
    private long[] a = new long[1024];
    private long[] b = new long[1024];
    private Object[] state;
    private int entries;
    /** Entry index + 1 per slot, 0 when free; only with the combiner. */
    private int[] slots;
    /** Entries in {@link #slots}. */
    private int indexed;
    /** Whether an entry was appended by {@link #add} since the last spill: a run then drops repeated keys. */
    private boolean added;

    /** {@link #add} calls looked up before deciding whether the rest are. */
    static final int ADDS_TO_DECIDE = 8192;

    private int addsLookedUp;
    private int addsNew;
    private boolean appendAdds;

    private long emitted;
    private long written;
    /** Entries {@link #writeSortedRuns} last wrote. */
    private int runsWritten;

    private boolean handedOver;

    MapOutputBuffer(
            ReduceFunction function,
            boolean combine,
            Partitioner partitioner,
            int partitions,
            long budgetBytes,
            Path spillDirectory) {
        this(function, null, combine, partitioner, partitions, budgetBytes, spillDirectory);
    }

    /** A buffer of aggregate states: a query's map output. */
    MapOutputBuffer(
            StateCodec codec,
            boolean combine,
            Partitioner partitioner,
            int partitions,
            long budgetBytes,
            Path spillDirectory) {
        this(null, codec, combine, partitioner, partitions, budgetBytes, spillDirectory);
    }

    private MapOutputBuffer(
            ReduceFunction function,
            StateCodec codec,
            boolean combine,
            Partitioner partitioner,
            int partitions,
            long budgetBytes,
            Path spillDirectory) {
        this.function = function;
        this.codec = codec;
        this.stateOut = codec == null ? null : new StateOutput();
        this.entryBytes = ENTRY_BYTES + (combine ? SLOT_BYTES : 0) + (codec == null ? 0 : 8 + codec.stateBytes());
        this.state = codec == null ? null : new Object[1024];
        this.combine = combine;
        this.partitioner = partitioner;
        this.partitions = partitions;
        this.budgetBytes = budgetBytes;
        this.slots = combine ? new int[2048] : null;
        this.spills = codec == null
                ? new Spills(spillDirectory, partitions, function, combine)
                : new Spills(spillDirectory, partitions, codec, combine);
    }

    /**
     * The state of a key. The caller folds its record into the state after this returns, so a
     * full buffer spills at the next call, before anything else is added.
     *
     * @throws UncheckedIOException if a spill cannot be written
     */
    @Override
    public Object state(byte[] key, int off, int len) {
        if (usedBytes() > budgetBytes) {
            spill();
        }
        emitted++;
        if (!combine) {
            makeRoom(len);
            return state[append(key, off, len, 0, 0)];
        }
        int h = Murmur3.hash32(key, off, len);
        int s = h & (slots.length - 1);
        while (true) {
            int e = slots[s] - 1;
            if (e < 0) {
                if (makeRoom(len)) {
                    s = h & (slots.length - 1); // the spill emptied the table
                }
                e = append(key, off, len, h, 0);
                slots[s] = e + 1;
                if (++indexed * 2 > slots.length) {
                    rehash();
                }
                return state[e];
            }
            if (hash[e] == h
                    && keyLen[e] == len
                    && Arrays.equals(arena, keyOff[e], keyOff[e] + len, key, off, off + len)) {
                return state[e];
            }
            s = (s + 1) & (slots.length - 1);
        }
    }

    /** @throws UncheckedIOException if a spill cannot be written */
    @Override
    public void add(byte[] key, int off, int len) {
        if (combine && !appendAdds) {
            int before = entries;
            state(key, off, len);
            if (entries != before) {
                addsNew++;
            }
            if (++addsLookedUp == ADDS_TO_DECIDE) {
                appendAdds = addsNew > ADDS_TO_DECIDE / 2;
            }
            return;
        }
        if (usedBytes() > budgetBytes) {
            spill();
        }
        emitted++;
        makeRoom(len);
        append(key, off, len, 0, 0);
        added = combine;
    }

    /** @throws UncheckedIOException if a spill cannot be written */
    @Override
    public void emit(byte[] key, int off, int len, long value) {
        emitted++;
        if (!combine) {
            makeRoom(len);
            append(key, off, len, 0, value);
        } else {
            int h = Murmur3.hash32(key, off, len);
            int s = h & (slots.length - 1);
            while (true) {
                int e = slots[s] - 1;
                if (e < 0) {
                    if (makeRoom(len)) {
                        s = h & (slots.length - 1); // the spill emptied the table
                    }
                    slots[s] = append(key, off, len, h, value) + 1;
                    if (++indexed * 2 > slots.length) {
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
                s = (s + 1) & (slots.length - 1);
            }
        }
        if (usedBytes() > budgetBytes) {
            spill();
        }
    }

    /** Whether {@link #add}ed keys are appended now rather than looked up. */
    boolean appendsAdds() {
        return appendAdds;
    }

    /** Entries in the runs {@link #finish} returned. */
    long written() {
        return written;
    }

    /** Pairs emitted so far. */
    long emitted() {
        return emitted;
    }

    /**
     * The task's output: one run per partition. The buffer must not be used afterwards.
     *
     * @throws IOException if a spill cannot be written or read back
     */
    MapRuns finish() throws IOException {
        try {
            if (spills.isEmpty() && usedBytes() <= budgetBytes / 4) {
                byte[][] runs = new byte[partitions][];
                writeSortedRuns(new RunTarget() {
                    @Override
                    public RunWriter start(int p, int count) {
                        return codec != null
                                ? RunWriter.ofStates()
                                : new RunWriter(function.usesCount(), (int) Math.min(1 << 30, count * 8L));
                    }

                    @Override
                    public void end(int p, RunWriter run) {
                        runs[p] = run.finish();
                    }
                });
                written = runsWritten;
                release();
                return MapRuns.of(runs);
            }
            spill();
            release();
            Spill output = spills.mergeAll();
            written = output.entries();
            MapRuns runs = MapRuns.of(output, spills);
            handedOver = true;
            return runs;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Deletes the spills unless {@link #finish} handed them over as the output. */
    @Override
    public void close() {
        if (!handedOver) {
            spills.close();
        }
    }

    /**
     * Makes room for one more entry with a key of {@code len} bytes, growing the arrays if that
     * stays within the budget and spilling first otherwise; true if it spilled.
     */
    private boolean makeRoom(int len) {
        if (grow(len)) {
            return false;
        }
        spill();
        grow(len); // with no entries left it grows whatever the budget: one key must fit
        return true;
    }

    /** Grows what one more entry needs; false if that would pass the budget while entries are buffered. */
    private boolean grow(int len) {
        int capacity = entries < keyOff.length ? keyOff.length : keyOff.length * 2;
        long arenaLength =
                arenaUsed + len <= arena.length ? arena.length : Math.max(2L * arena.length, arenaUsed + len);
        int slotCount = slots == null ? 0 : (indexed + 1) * 2 > slots.length ? slots.length * 2 : slots.length;
        long needed = (long) capacity * ENTRY_BYTES + arenaLength + 4L * slotCount;
        if (entries > 0 && needed > budgetBytes && needed > allocatedBytes()) {
            return false;
        }
        if (arenaLength > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("map output keys do not fit in one buffer (" + arenaLength + " bytes)");
        }
        if (capacity > keyOff.length) {
            keyOff = Arrays.copyOf(keyOff, capacity);
            keyLen = Arrays.copyOf(keyLen, capacity);
            partition = Arrays.copyOf(partition, capacity);
            hash = Arrays.copyOf(hash, capacity);
            a = Arrays.copyOf(a, capacity);
            b = Arrays.copyOf(b, capacity);
            if (state != null) {
                state = Arrays.copyOf(state, capacity);
            }
        }
        if (arenaLength > arena.length) {
            arena = Arrays.copyOf(arena, (int) arenaLength);
        }
        return true; // the hash table grows in rehash(), after the entry is in
    }

    private int append(byte[] key, int off, int len, int h, long value) {
        System.arraycopy(key, off, arena, arenaUsed, len);
        int e = entries++;
        keyOff[e] = arenaUsed;
        keyLen[e] = len;
        arenaUsed += len;
        hash[e] = h;
        partition[e] = partitioner.partition(key, off, len, partitions);
        if (codec != null) {
            state[e] = codec.create(key, off, len);
            return e;
        }
        a[e] = function.first(value);
        b[e] = function.firstCount();
        return e;
    }

    /** Doubles the table, moving the entries it holds (not the ones {@link #add}ed). */
    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int slot : slots) {
            if (slot == 0) {
                continue;
            }
            int s = hash[slot - 1] & mask;
            while (bigger[s] != 0) {
                s = (s + 1) & mask;
            }
            bigger[s] = slot;
        }
        slots = bigger;
    }

    /** Bytes the buffered entries take; capacity kept after a spill is reused, so it does not count. */
    private long usedBytes() {
        return arenaUsed + (long) entries * entryBytes;
    }

    /** Bytes the arrays take, with what a spill's sort adds. */
    long allocatedBytes() {
        return (long) keyOff.length * ENTRY_BYTES + arena.length + (slots == null ? 0 : 4L * slots.length);
    }

    /** Writes the buffered entries to a new spill file, one sorted run per partition, and empties the buffer. */
    private void spill() {
        if (entries == 0) {
            return;
        }
        try (SpillWriter out = spills.create()) {
            writeSortedRuns(new RunTarget() {
                @Override
                public RunWriter start(int p, int count) {
                    return out.start(p);
                }

                @Override
                public void end(int p, RunWriter run) {
                    out.end(run);
                }
            });
            spills.add(out.finish());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill map output: " + e.getMessage(), e);
        }
        if (state != null) {
            Arrays.fill(state, 0, entries, null);
        }
        entries = 0;
        arenaUsed = 0;
        indexed = 0;
        added = false;
        if (slots != null) {
            Arrays.fill(slots, 0);
        }
    }

    /** Lets the arrays go once the runs are written. */
    private void release() {
        arena = null;
        keyOff = null;
        keyLen = null;
        partition = null;
        hash = null;
        a = null;
        b = null;
        state = null;
        slots = null;
        entries = 0;
    }

    /** Where {@link #writeSortedRuns} writes each partition's run. */
    private interface RunTarget {

        RunWriter start(int partition, int entries);

        void end(int partition, RunWriter run);
    }

    /** Writes a sorted run per partition to {@code target}, each {@link #add}ed key once. */
    private void writeSortedRuns(RunTarget target) {
        runsWritten = 0;
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
        for (int p = 0; p < partitions; p++) {
            int from = start[p];
            int to = start[p + 1];
            if (from == to) {
                continue;
            }
            sort.sort(idx, from, to);
            RunWriter writer = target.start(p, to - from);
            for (int i = from; i < to; i++) {
                int e = idx[i];
                if (codec == null) {
                    writer.add(arena, keyOff[e], keyLen[e], a[e], b[e]);
                    continue;
                }
                stateOut.reset();
                codec.encode(state[e], stateOut);
                if (added) {
                    // a key added more than once goes in once: its state is empty, nothing to merge
                    writer.addStateOnce(arena, keyOff[e], keyLen[e], stateOut.bytes(), 0, stateOut.length());
                } else {
                    writer.addState(arena, keyOff[e], keyLen[e], stateOut.bytes(), 0, stateOut.length());
                }
            }
            runsWritten += (int) writer.entries();
            target.end(p, writer);
        }
    }
}
