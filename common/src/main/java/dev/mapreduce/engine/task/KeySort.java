package dev.mapreduce.engine.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Sorts entry indices by their keys in an arena, in unsigned byte order, comparing only
 * {@code long}s: a merge sort over an {@code int[]} by each key's next 8 bytes (big-endian,
 * zero-padded) and how many bytes it has left (capped at 9), then the same again, 8 bytes
 * further, within each run of keys that are equal so far and go on. Keys that share a long
 * start, such as a group key followed by count(DISTINCT) values, so never compare byte by byte
 * from the start, and nothing is boxed.
 */
final class KeySort {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Keys sorted by insertion before the merges start. */
    private static final int RUN = 16;

    private final byte[] arena;
    private final int[] keyOff;
    private final int[] keyLen;
    /** Per entry: its key's 8 bytes at the current depth, zero-padded. */
    private final long[] prefix;
    /** Per entry: the bytes its key has from the current depth on, at most 9 (more than {@link #prefix} holds). */
    private final byte[] rest;
    /** Runs of {@code idx} still to sort, as (from, to, depth) triples. */
    private int[] pending = new int[3 * 16];

    private int top;

    KeySort(byte[] arena, int[] keyOff, int[] keyLen, int entries) {
        this.arena = arena;
        this.keyOff = keyOff;
        this.keyLen = keyLen;
        this.prefix = new long[entries];
        this.rest = new byte[entries];
    }

    /**
     * Sorts {@code idx[from, to)}: by the keys' first 8 bytes, then each run of keys equal so far
     * that go on by their next 8, and so on. The runs still to sort wait on a stack rather than in
     * recursive calls, and each step is a method of its own: the recursive sort, inlined into
     * itself and entered mid-loop, was compiled on stack replacement again and again (seven times
     * in one run of (d) under load).
     */
    void sort(int[] idx, int from, int to) {
        int[] aux = new int[to - from];
        top = 0;
        push(from, to, 0);
        while (top > 0) {
            int depth = pending[--top];
            int t = pending[--top];
            int f = pending[--top];
            loadAll(idx, f, t, depth);
            mergeSort(idx, aux, f, t);
            pushTies(idx, f, t, depth);
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

    private void loadAll(int[] idx, int from, int to, int depth) {
        for (int i = from; i < to; i++) {
            load(idx[i], depth);
        }
    }

    /**
     * Pushes each run of {@code idx[from, to)}, sorted by the keys' bytes at {@code depth}, whose
     * keys are equal so far and go on past those bytes (they are together, last of their prefix).
     */
    private void pushTies(int[] idx, int from, int to, int depth) {
        for (int i = from; i < to; ) {
            int e = idx[i];
            int j = i + 1;
            if (rest[e] > 8) {
                while (j < to && prefix[idx[j]] == prefix[e]) {
                    j++;
                }
                if (j - i > 1) {
                    push(i, j, depth + 8);
                }
            }
            i = j;
        }
    }

    private void load(int e, int depth) {
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
        prefix[e] = p;
        rest[e] = (byte) Math.min(9, n);
    }

    /**
     * A stable merge sort of {@code a[from, to)}, bottom up: runs of {@link #RUN} by insertion,
     * then merges of doubling width between {@code a} and {@code aux}. Without recursion the JIT
     * compiles it small and at once (the recursive form, inlined into itself, took C2 over 0.5 s).
     */
    private void mergeSort(int[] a, int[] aux, int from, int to) {
        int n = to - from;
        for (int lo = from; lo < to; lo += RUN) {
            insertionSort(a, lo, Math.min(lo + RUN, to));
        }
        int[] src = a;
        int srcOff = from;
        int[] dst = aux;
        int dstOff = 0;
        for (int width = RUN; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                merge(src, srcOff, dst, dstOff, lo, Math.min(lo + width, n), Math.min(lo + 2 * width, n));
            }
            int[] t = src;
            src = dst;
            dst = t;
            int o = srcOff;
            srcOff = dstOff;
            dstOff = o;
        }
        if (src != a) {
            System.arraycopy(src, srcOff, a, from, n);
        }
    }

    private void insertionSort(int[] a, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int x = a[i];
            int j = i - 1;
            while (j >= from && compare(a[j], x) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }

    /** Merges {@code src[lo, mid)} and {@code src[mid, hi)} (offsets added) into {@code dst[lo, hi)}; ties from the left. */
    private void merge(int[] src, int srcOff, int[] dst, int dstOff, int lo, int mid, int hi) {
        if (mid == hi || compare(src[srcOff + mid - 1], src[srcOff + mid]) <= 0) {
            System.arraycopy(src, srcOff + lo, dst, dstOff + lo, hi - lo);
            return;
        }
        int i = srcOff + lo;
        int iEnd = srcOff + mid;
        int j = iEnd;
        int jEnd = srcOff + hi;
        int k = dstOff + lo;
        while (i < iEnd && j < jEnd) {
            dst[k++] = compare(src[i], src[j]) <= 0 ? src[i++] : src[j++];
        }
        System.arraycopy(src, i, dst, k, iEnd - i);
        k += iEnd - i;
        System.arraycopy(src, j, dst, k, jEnd - j);
    }

    /**
     * Keys equal before the depth: by their next 8 bytes, zero-padded; with those equal, the one
     * with fewer bytes left first (its padding is real zeros of the other: it is a prefix of it).
     */
    private int compare(int x, int y) {
        int c = Long.compareUnsigned(prefix[x], prefix[y]);
        return c != 0 ? c : Integer.compare(rest[x], rest[y]);
    }
}
