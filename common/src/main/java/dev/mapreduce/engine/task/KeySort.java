package dev.mapreduce.engine.task;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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

    private final byte[] arena;
    private final int[] keyOff;
    private final int[] keyLen;
    /** Per entry: its key's 8 bytes at the current depth, zero-padded. */
    private final long[] prefix;
    /** Per entry: the bytes its key has from the current depth on, at most 9 (more than {@link #prefix} holds). */
    private final byte[] rest;

    KeySort(byte[] arena, int[] keyOff, int[] keyLen, int entries) {
        this.arena = arena;
        this.keyOff = keyOff;
        this.keyLen = keyLen;
        this.prefix = new long[entries];
        this.rest = new byte[entries];
    }

    /** Sorts {@code idx[from, to)}. */
    void sort(int[] idx, int from, int to) {
        int[] aux = new int[to - from];
        sort(idx, aux, from, to, 0);
    }

    /** Sorts {@code idx[from, to)}, whose keys are equal before {@code depth} and at least that long. */
    private void sort(int[] idx, int[] aux, int from, int to, int depth) {
        for (int i = from; i < to; i++) {
            load(idx[i], depth);
        }
        mergeSort(idx, aux, from, to);
        // sorted by (prefix, rest), the keys equal so far that go on past the prefix are together, last of their prefix
        for (int i = from; i < to; ) {
            int e = idx[i];
            int j = i + 1;
            if (rest[e] > 8) {
                while (j < to && prefix[idx[j]] == prefix[e]) {
                    j++;
                }
                if (j - i > 1) {
                    sort(idx, aux, i, j, depth + 8);
                }
            }
            i = j;
        }
    }

    private void load(int e, int depth) {
        int off = keyOff[e] + depth;
        int n = keyLen[e] - depth;
        long p;
        if (n >= 8) {
            p = (long) LONG.get(arena, off);
        } else {
            p = 0;
            for (int k = 0; k < n; k++) {
                p |= (long) (arena[off + k] & 0xFF) << (56 - 8 * k);
            }
        }
        prefix[e] = p;
        rest[e] = (byte) Math.min(9, n);
    }

    private void mergeSort(int[] a, int[] aux, int from, int to) {
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int x = a[i];
                int j = i - 1;
                while (j >= from && compare(a[j], x) > 0) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, aux, from, mid);
        mergeSort(a, aux, mid, to);
        if (compare(a[mid - 1], a[mid]) <= 0) {
            return;
        }
        System.arraycopy(a, from, aux, 0, mid - from);
        int i = 0;
        int iEnd = mid - from;
        int j = mid;
        int k = from;
        while (i < iEnd && j < to) {
            a[k++] = compare(aux[i], a[j]) <= 0 ? aux[i++] : a[j++];
        }
        while (i < iEnd) {
            a[k++] = aux[i++];
        }
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
