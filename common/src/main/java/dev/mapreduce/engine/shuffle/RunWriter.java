package dev.mapreduce.engine.shuffle;

import java.util.Arrays;

/** Encodes one run (see {@link RunFormat}); keys must be added in non-decreasing order. */
public final class RunWriter {

    private final boolean withCount;
    private byte[] out;
    private int size = RunFormat.HEADER_BYTES;
    private byte[] previous = new byte[64];
    private int previousLength = -1;
    private int entries;

    public RunWriter(boolean withCount) {
        this(withCount, 1024);
    }

    public RunWriter(boolean withCount, int initialCapacity) {
        this.withCount = withCount;
        this.out = new byte[Math.max(initialCapacity, RunFormat.HEADER_BYTES + 32)];
    }

    /** Appends a key and its partial. */
    public void add(byte[] key, int off, int len, long a, long b) {
        int shared = 0;
        if (previousLength >= 0) {
            int max = Math.min(len, previousLength);
            int mismatch = Arrays.mismatch(previous, 0, max, key, off, off + max);
            shared = mismatch < 0 ? max : mismatch;
            boolean ascending =
                    shared < max ? (key[off + shared] & 0xFF) > (previous[shared] & 0xFF) : len >= previousLength;
            if (!ascending) {
                throw new IllegalStateException("run keys must be added in ascending order");
            }
        }
        ensure(len - shared + 30);
        size = putVarLong(out, size, shared);
        size = putVarLong(out, size, len - shared);
        System.arraycopy(key, off + shared, out, size, len - shared);
        size += len - shared;
        size = putVarLong(out, size, zigzag(a));
        if (withCount) {
            size = putVarLong(out, size, zigzag(b));
        }
        if (len > previous.length) {
            previous = Arrays.copyOf(previous, Math.max(len, previous.length * 2));
        }
        System.arraycopy(key, off + shared, previous, shared, len - shared);
        previousLength = len;
        entries++;
    }

    public int entries() {
        return entries;
    }

    /** Encoded size so far, header included. */
    public int size() {
        return size;
    }

    /** The finished run; the writer must not be used afterwards. */
    public byte[] finish() {
        out[0] = RunFormat.MAGIC_0;
        out[1] = RunFormat.MAGIC_1;
        out[2] = RunFormat.VERSION;
        out[3] = (byte) (withCount ? RunFormat.FLAG_WITH_COUNT : 0);
        putInt(out, 4, entries);
        putInt(out, 8, RunFormat.checksum(out, size));
        return Arrays.copyOf(out, size);
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static int putVarLong(byte[] b, int i, long v) {
        while ((v & ~0x7FL) != 0) {
            b[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[i++] = (byte) v;
        return i;
    }

    static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }
}
