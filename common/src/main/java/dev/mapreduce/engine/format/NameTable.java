package dev.mapreduce.engine.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Finds which of a few names a byte slice is, without a String: for parsers keyed by name (logfmt). */
public final class NameTable {

    private final byte[][] names;

    public NameTable(List<String> names) {
        this.names = names.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /** The index of the name {@code b[start, stop)}, or -1. */
    public int find(byte[] b, int start, int stop) {
        int len = stop - start;
        byte[][] names = this.names;
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i];
            if (name.length == len && Arrays.equals(name, 0, len, b, start, stop)) {
                return i;
            }
        }
        return -1;
    }
}
