package dev.mapreduce.engine.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Sorts entry indices by their keys in an arena, in unsigned byte order, keys equal in every byte
 * by entry index (so the order is a stable sort's): a multikey quicksort (Bentley and Sedgewick)
 * whose "character" is 8 bytes of key, big-endian and zero-padded, with how many bytes the key has
 * left (capped at 9). A range is split three ways around a pivot's 8 bytes; the keys less and
 * greater are split again at the same depth, the equal ones 8 bytes further on. Keys that share a
 * long start, such as a group key followed by count(DISTINCT) values, so are compared a long at a
 * time, never byte by byte from the start, and a depth whose 8 bytes take a few values (a dozen
 * services) costs a few passes, not one per halving. Nothing is boxed.
 */
final class KeySort {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Ranges this short are sorted by insertion, comparing whole keys. */
    private static final int SMALL = 12;

    private final byte[] arena;
    private final int[] keyOff;
    private final int[] keyLen;
    /**
     * Per position of {@code idx}, moved with its entry: the key's 8 bytes at the depth its range
     * is at, zero-padded (side by side with the indices, a split reads them in order).
     */
    private final long[] prefix;
    /** Per position: the bytes the key has from that depth on, at most 9 (more than {@link #prefix} holds). */
    private final byte[] rest;
    /** Ranges of {@code idx} still to sort, as (from, to, depth) triples, their prefixes loaded. */
    private int[] pending = new int[3 * 16];

    private int top;
    /**
     * Picks pivots, from a seed no input can know in advance (so no input is slow every time); any
     * choice gives the same order, the keys and indices being a total order.
     */
    private long random = System.nanoTime() | 1;

    KeySort(byte[] arena, int[] keyOff, int[] keyLen, int entries) {
        this.arena = arena;
        this.keyOff = keyOff;
        this.keyLen = keyLen;
        this.prefix = new long[entries];
        this.rest = new byte[entries];
    }

    /**
     * Sorts {@code idx[from, to)}, which holds distinct entry indices. The ranges still to sort
     * wait on a stack rather than in recursive calls: a recursive sort, inlined into itself and
     * entered mid-loop, was compiled on stack replacement again and again (seven times in one run
     * of (d) under load).
     */
    void sort(int[] idx, int from, int to) {
        top = 0;
        loadAll(idx, from, to, 0);
        push(from, to, 0);
        while (top > 0) {
            int depth = pending[--top];
            int t = pending[--top];
            int f = pending[--top];
            if (t - f <= SMALL) {
                insertionSort(idx, f, t, depth);
            } else {
                split(idx, f, t, depth);
            }
        }
    }

    private void push(int from, int to, int depth) {
        if (top + 3 > pending.length) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        }
        pending[top++] = from;
        pending[top++] = to;
        pending[top++] = depth;
    }

    /**
     * Splits {@code idx[from, to)} around the median of three entries' bytes at {@code depth}:
     * less, equal, greater (Dijkstra's three-way partition). Pushes the less and greater parts at
     * this depth and the equal part at the next, its prefixes loaded there; an equal part of keys
     * that end here holds equal keys, put in index order.
     */
    private void split(int[] idx, int from, int to, int depth) {
        int pivot = median(pick(from, to), pick(from, to), pick(from, to));
        long pp = prefix[pivot];
        int pr = rest[pivot];
        int lt = from;
        int gt = to;
        int i = from;
        while (i < gt) {
            int c = compareChunk(prefix[i], rest[i], pp, pr);
            if (c < 0) {
                swap(idx, i++, lt++);
            } else if (c > 0) {
                swap(idx, i, --gt);
            } else {
                i++;
            }
        }
        if (lt - from > 1) {
            push(from, lt, depth);
        }
        if (to - gt > 1) {
            push(gt, to, depth);
        }
        if (gt - lt > 1) {
            if (pr > 8) {
                loadAll(idx, lt, gt, depth + 8);
                push(lt, gt, depth + 8);
            } else {
                Arrays.sort(idx, lt, gt);
            }
        }
    }

    private void swap(int[] idx, int i, int j) {
        int e = idx[i];
        idx[i] = idx[j];
        idx[j] = e;
        long p = prefix[i];
        prefix[i] = prefix[j];
        prefix[j] = p;
        byte r = rest[i];
        rest[i] = rest[j];
        rest[j] = r;
    }

    private int pick(int from, int to) {
        random ^= random << 13;
        random ^= random >>> 7;
        random ^= random << 17;
        return from + (int) ((random >>> 33) % (to - from));
    }

    private int median(int x, int y, int z) {
        if (less(x, y)) {
            return less(y, z) ? y : less(x, z) ? z : x;
        }
        return less(x, z) ? x : less(y, z) ? z : y;
    }

    private boolean less(int x, int y) {
        return compareChunk(prefix[x], rest[x], prefix[y], rest[y]) < 0;
    }

    /**
     * Two keys equal before the depth, by what {@link #prefix} and {@link #rest} hold of them: their
     * next 8 bytes, zero-padded, unsigned; with those equal, the one with fewer bytes left first
     * (its padding is real zeros of the other: it is a prefix of it).
     */
    private static int compareChunk(long prefixX, int restX, long prefixY, int restY) {
        int c = Long.compareUnsigned(prefixX, prefixY);
        return c != 0 ? c : restX - restY;
    }

    private void loadAll(int[] idx, int from, int to, int depth) {
        for (int i = from; i < to; i++) {
            load(i, idx[i], depth);
        }
    }

    private void load(int i, int e, int depth) {
        int off = keyOff[e] + depth;
        int n = keyLen[e] - depth;
        long p;
        if (off + 8 <= arena.length) {
            // past the key's end: the arena's next bytes, masked off (one path whatever the key's length)
            p = (long) LONG.get(arena, off) & (n >= 8 ? -1L : ~(-1L >>> (8 * n)));
        } else {
            p = 0;
            for (int k = 0; k < Math.min(n, 8); k++) {
                p |= (long) (arena[off + k] & 0xFF) << (56 - 8 * k);
            }
        }
        prefix[i] = p;
        rest[i] = (byte) Math.min(9, n);
    }

    private void insertionSort(int[] idx, int from, int to, int depth) {
        for (int i = from + 1; i < to; i++) {
            for (int j = i; j > from && compare(idx, j - 1, j, depth) > 0; j--) {
                swap(idx, j - 1, j);
            }
        }
    }

    /**
     * Keys equal before the depth: by {@link #compareChunk}, then by the bytes after those 8, and
     * equal keys by index.
     */
    private int compare(int[] idx, int i, int j, int depth) {
        int c = compareChunk(prefix[i], rest[i], prefix[j], rest[j]);
        if (c != 0) {
            return c;
        }
        int x = idx[i];
        int y = idx[j];
        if (rest[i] <= 8) {
            return Integer.compare(x, y); // both end within these 8 bytes: equal keys
        }
        int ox = keyOff[x] + depth + 8;
        int oy = keyOff[y] + depth + 8;
        c = Arrays.compareUnsigned(arena, ox, keyOff[x] + keyLen[x], arena, oy, keyOff[y] + keyLen[y]);
        return c != 0 ? c : Integer.compare(x, y);
    }
}
