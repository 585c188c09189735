package dev.mapreduce.engine.format.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The member names a JSON scan looks for, as a tree: a field {@code http.response.status_code}
 * is found as nested objects ({@code {"http":{"response":{"status_code":200}}}}), as a member
 * whose name holds the dots ({@code {"http.response.status_code":200}}, as ECS loggers write), or
 * anything in between. Each node maps a member name to the slot that takes its value (or -1) and
 * to the node to scan its object value with (or null).
 */
final class PathTree {

    /** Paths of more dots than this are refused: the tree grows with every way to split a path. */
    static final int MAX_DOTS = 8;

    /** Buckets of {@link #index}: a name's length and first byte pick one. */
    private static final int BUCKETS = 64;
    /** A bucket no name falls in; one that several share. */
    private static final int NONE = -1;

    private static final int SHARED = -2;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[][] names = new byte[0][];
    private int[] slots = new int[0];
    private boolean[] stringOnly = new boolean[0];
    private PathTree[] children = new PathTree[0];
    /** Per entry, the first 8 bytes of its name (little-endian, zero-padded). */
    private long[] heads = new long[0];
    /** Per bucket, the one entry whose name falls in it, {@link #NONE} or {@link #SHARED}. */
    private final int[] index = newIndex();

    /** Adds {@code path} as slot {@code slot}; {@code stringOnly}: any other JSON type makes the slot absent. */
    void add(String path, int slot, boolean stringOnly) {
        int dots = (int) path.chars().filter(c -> c == '.').count();
        if (dots > MAX_DOTS) {
            throw new IllegalArgumentException("field '" + path + "' has more than " + MAX_DOTS + " dots");
        }
        int whole = entry(path);
        slots[whole] = slot;
        this.stringOnly[whole] = stringOnly;
        for (int dot = path.indexOf('.'); dot > 0 && dot < path.length() - 1; dot = path.indexOf('.', dot + 1)) {
            int head = entry(path.substring(0, dot));
            if (children[head] == null) {
                children[head] = new PathTree();
            }
            children[head].add(path.substring(dot + 1), slot, stringOnly);
        }
    }

    private int entry(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < names.length; i++) {
            if (Arrays.equals(names[i], bytes)) {
                return i;
            }
        }
        int n = names.length;
        names = Arrays.copyOf(names, n + 1);
        slots = Arrays.copyOf(slots, n + 1);
        stringOnly = Arrays.copyOf(stringOnly, n + 1);
        children = Arrays.copyOf(children, n + 1);
        heads = Arrays.copyOf(heads, n + 1);
        names[n] = bytes;
        slots[n] = -1;
        for (int k = Math.min(8, bytes.length) - 1; k >= 0; k--) {
            heads[n] = heads[n] << 8 | (bytes[k] & 0xFF);
        }
        int bucket = bucket(bytes, 0, bytes.length);
        index[bucket] = index[bucket] == NONE ? n : SHARED;
        return n;
    }

    /**
     * Whether entry {@code e} is named {@code b[start, start + len)}. Member names are short: their
     * first 8 bytes are compared as one long, and the rest (if any) a byte at a time.
     */
    private boolean same(int e, byte[] b, int start, int len) {
        byte[] name = names[e];
        if (name.length != len) {
            return false;
        }
        int k = 0;
        if (start + 8 <= b.length) {
            long mask = len >= 8 ? -1L : (1L << (8 * len)) - 1;
            if ((((long) LONGS.get(b, start) ^ heads[e]) & mask) != 0) {
                return false;
            }
            k = Math.min(len, 8);
        }
        for (; k < len; k++) {
            if (name[k] != b[start + k]) {
                return false;
            }
        }
        return true;
    }

    private static int[] newIndex() {
        int[] index = new int[BUCKETS];
        Arrays.fill(index, NONE);
        return index;
    }

    private static int bucket(byte[] b, int start, int len) {
        return (len == 0 ? 0 : b[start] + 31 * len) & (BUCKETS - 1);
    }

    /**
     * The entry named {@code b[start, stop)}, or -1. Most members of a record are not looked for:
     * the bucket of a name's length and first byte turns them away, and names are compared only
     * with the one entry in their bucket (or each, when the bucket is shared). Comparing with
     * every name of the same length cost 3-7 % of a query's time.
     */
    int find(byte[] b, int start, int stop) {
        int len = stop - start;
        int e = index[bucket(b, start, len)];
        if (e >= 0) {
            return same(e, b, start, len) ? e : -1;
        }
        if (e == NONE) {
            return -1;
        }
        for (int i = 0; i < names.length; i++) {
            if (same(i, b, start, len)) {
                return i;
            }
        }
        return -1;
    }

    int slot(int entry) {
        return slots[entry];
    }

    boolean stringOnly(int entry) {
        return stringOnly[entry];
    }

    PathTree child(int entry) {
        return children[entry];
    }

    boolean isEmpty() {
        return names.length == 0;
    }
}
