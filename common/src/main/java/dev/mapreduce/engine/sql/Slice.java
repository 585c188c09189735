package dev.mapreduce.engine.sql;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A reusable view of UTF-8 bytes {@code a[off, off + len)}: what a VARCHAR evaluator returns. */
final class Slice {

    byte[] a;
    int off;
    int len;

    Slice set(byte[] a, int off, int len) {
        this.a = a;
        this.off = off;
        this.len = len;
        return this;
    }

    static Slice of(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new Slice().set(b, 0, b.length);
    }

    @Override
    public String toString() {
        return new String(a, off, len, StandardCharsets.UTF_8);
    }

    static int compare(Slice x, Slice y) {
        return Arrays.compareUnsigned(x.a, x.off, x.off + x.len, y.a, y.off, y.off + y.len);
    }

    static boolean equal(Slice x, Slice y) {
        return x.len == y.len && Arrays.equals(x.a, x.off, x.off + x.len, y.a, y.off, y.off + y.len);
    }

    boolean isAscii() {
        for (int i = off, end = off + len; i < end; i++) {
            if (a[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
