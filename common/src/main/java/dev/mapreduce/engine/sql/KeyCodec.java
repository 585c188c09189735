package dev.mapreduce.engine.sql;

import dev.mapreduce.engine.partition.Murmur3;
import dev.mapreduce.engine.partition.Partitioner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The shuffle key of a query: its group key values, each self-delimiting (a tag, then a varint
 * length and UTF-8 bytes, or 8 bytes, or 1), so the group part of a key is always found again.
 * With count(DISTINCT), one more byte follows: 0 for the group's aggregate state, or {@code d + 1}
 * then the value of distinct aggregate {@code d}. Keys of one group are then adjacent in a sorted
 * run, the state first, then each distinct value once: the reducer counts distinct values by
 * streaming over them, and never holds them. Partitions are murmur3_32 of the group part only.
 */
final class KeyCodec implements Partitioner {

    static final byte NULL = 0;
    static final byte STRING = 1;
    static final byte LONG = 2;
    static final byte DOUBLE = 3;
    static final byte BOOL = 4;

    private final int columns;
    private final boolean distinct;
    private byte[] b = new byte[128];
    private int length;

    KeyCodec(int columns, boolean distinct) {
        this.columns = columns;
        this.distinct = distinct;
    }

    boolean hasDistinct() {
        return distinct;
    }

    void reset() {
        length = 0;
    }

    byte[] bytes() {
        return b;
    }

    int length() {
        return length;
    }

    void truncate(int n) {
        length = n;
    }

    void putTag(int tag) {
        ensure(1);
        b[length++] = (byte) tag;
    }

    /** Appends the value of {@code e} for the current row. */
    void put(Ev e, Row r) {
        switch (e.type) {
            case VARCHAR -> {
                Slice s = e.str(r);
                if (s == null) {
                    putTag(NULL);
                } else {
                    ensure(s.len + 6);
                    b[length++] = STRING;
                    int n = s.len;
                    while ((n & ~0x7F) != 0) {
                        b[length++] = (byte) ((n & 0x7F) | 0x80);
                        n >>>= 7;
                    }
                    b[length++] = (byte) n;
                    System.arraycopy(s.a, s.off, b, length, s.len);
                    length += s.len;
                }
            }
            case DOUBLE -> {
                double d = e.dbl(r);
                if (r.nul) {
                    putTag(NULL);
                } else {
                    putLong(DOUBLE, Double.doubleToLongBits(d == 0 ? 0.0 : d));
                }
            }
            case BOOLEAN -> {
                int v = e.bool(r);
                if (v == Ev.UNKNOWN) {
                    putTag(NULL);
                } else {
                    ensure(2);
                    b[length++] = BOOL;
                    b[length++] = (byte) v;
                }
            }
            case NULL -> putTag(NULL);
            default -> {
                long v = e.lng(r);
                if (r.nul) {
                    putTag(NULL);
                } else {
                    putLong(LONG, v);
                }
            }
        }
    }

    private void putLong(byte tag, long v) {
        ensure(9);
        b[length++] = tag;
        for (int k = 56; k >= 0; k -= 8) {
            b[length++] = (byte) (v >>> k);
        }
    }

    private void ensure(int more) {
        if (length + more > b.length) {
            b = Arrays.copyOf(b, Math.max(b.length * 2, length + more));
        }
    }

    /** The length of the group part of {@code key[off, off + len)}. */
    int groupLength(byte[] key, int off, int len) {
        if (!distinct) {
            return len;
        }
        int at = off;
        for (int c = 0; c < columns; c++) {
            at = skip(key, at);
        }
        return at - off;
    }

    /** Whether the key carries a count(DISTINCT) value rather than the group's state. */
    boolean isDistinctKey(byte[] key, int off, int len) {
        if (!distinct) {
            return false;
        }
        int g = groupLength(key, off, len);
        return g < len && key[off + g] != 0;
    }

    private static int skip(byte[] key, int at) {
        byte tag = key[at++];
        switch (tag) {
            case STRING -> {
                int n = 0;
                int shift = 0;
                byte x;
                do {
                    x = key[at++];
                    n |= (x & 0x7F) << shift;
                    shift += 7;
                } while (x < 0);
                return at + n;
            }
            case LONG, DOUBLE -> {
                return at + 8;
            }
            case BOOL -> {
                return at + 1;
            }
            default -> {
                return at;
            }
        }
    }

    /** The group key values of {@code key}, boxed as {@link Ev#value} gives them. */
    Object[] decode(byte[] key, int off, SqlType[] types, Object[] into) {
        int at = off;
        for (int c = 0; c < columns; c++) {
            byte tag = key[at];
            int next = skip(key, at);
            at++;
            into[c] = switch (tag) {
                case STRING -> {
                    int start = next;
                    // the bytes end at next; their length prefix sits between at and the bytes
                    int n = 0;
                    int shift = 0;
                    int p = at;
                    byte x;
                    do {
                        x = key[p++];
                        n |= (x & 0x7F) << shift;
                        shift += 7;
                    } while (x < 0);
                    yield new String(key, start - n, n, StandardCharsets.UTF_8);
                }
                case LONG -> getLong(key, at);
                case DOUBLE -> Double.longBitsToDouble(getLong(key, at));
                case BOOL -> key[at] != 0;
                default -> null;
            };
            at = next;
        }
        return into;
    }

    private static long getLong(byte[] b, int at) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = v << 8 | (b[at + k] & 0xFF);
        }
        return v;
    }

    @Override
    public int partition(byte[] key, int off, int len, int partitions) {
        return Math.floorMod(Murmur3.hash32(key, off, groupLength(key, off, len)), partitions);
    }

    /** A 64-bit hash of bytes (FNV-1a, then a murmur3 finalizer): for HLL. */
    static long hash64(byte[] a, int off, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = off, end = off + len; i < end; i++) {
            h ^= a[i] & 0xFF;
            h *= 0x100000001b3L;
        }
        return mix64(h ^ len);
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
