package dev.mapreduce.engine.task;

/**
 * Sorts entry indices by their keys in an arena, in unsigned byte order. A merge sort over an
 * {@code int[]} with an 8-byte big-endian key prefix per entry, so most comparisons are one
 * {@code long} compare and nothing is boxed.
 */
final class KeySort {

    private final byte[] arena;
    private final int[] keyOff;
    private final int[] keyLen;
    private final long[] prefix;

    KeySort(byte[] arena, int[] keyOff, int[] keyLen, int entries) {
        this.arena = arena;
        this.keyOff = keyOff;
        this.keyLen = keyLen;
        this.prefix = new long[entries];
        for (int e = 0; e < entries; e++) {
            long p = 0;
            int off = keyOff[e];
            int n = Math.min(8, keyLen[e]);
            for (int k = 0; k < n; k++) {
                p |= (long) (arena[off + k] & 0xFF) << (56 - 8 * k);
            }
            prefix[e] = p;
        }
    }

    /** Sorts {@code idx[from, to)}. */
    void sort(int[] idx, int from, int to) {
        int[] aux = new int[to - from];
        mergeSort(idx, aux, from, to);
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

    private int compare(int x, int y) {
        int c = Long.compareUnsigned(prefix[x], prefix[y]);
        if (c != 0) {
            return c;
        }
        return java.util.Arrays.compareUnsigned(
                arena, keyOff[x], keyOff[x] + keyLen[x], arena, keyOff[y], keyOff[y] + keyLen[y]);
    }
}
