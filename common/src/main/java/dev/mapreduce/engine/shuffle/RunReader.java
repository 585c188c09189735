package dev.mapreduce.engine.shuffle;

import java.util.Arrays;

/** Streams the entries of one encoded run, checking its integrity first. */
public final class RunReader {

    private final byte[] run;
    private final boolean withCount;
    private final int entries;
    private int pos = RunFormat.HEADER_BYTES;
    private int read;
    private byte[] key = new byte[64];
    private int keyLength;
    private long a;
    private long b;

    /**
     * @throws CorruptRunException if the run is truncated, damaged or of an unknown version
     */
    public RunReader(byte[] run) {
        this.run = run;
        if (run.length < RunFormat.HEADER_BYTES || run[0] != RunFormat.MAGIC_0 || run[1] != RunFormat.MAGIC_1) {
            throw new CorruptRunException("not a shuffle run (bad magic or shorter than its header)");
        }
        if (run[2] != RunFormat.VERSION) {
            throw new CorruptRunException("unknown shuffle run version " + run[2]);
        }
        if ((run[3] & ~RunFormat.FLAG_WITH_COUNT) != 0) {
            throw new CorruptRunException("shuffle run has unknown flags " + run[3]);
        }
        withCount = (run[3] & RunFormat.FLAG_WITH_COUNT) != 0;
        entries = getInt(run, 4);
        if (RunFormat.checksum(run, run.length) != getInt(run, 8)) {
            throw new CorruptRunException("shuffle run checksum mismatch (" + run.length + " bytes)");
        }
    }

    /** Moves to the next entry; false after the last one. */
    public boolean next() {
        if (read == entries) {
            if (pos != run.length) {
                throw new CorruptRunException("shuffle run has bytes after its last entry");
            }
            return false;
        }
        try {
            int shared = (int) varLong();
            int suffix = (int) varLong();
            if (shared > keyLength || suffix < 0 || pos + suffix > run.length) {
                throw new CorruptRunException("shuffle run entry " + read + " is inconsistent");
            }
            int length = shared + suffix;
            if (length > key.length) {
                key = Arrays.copyOf(key, Math.max(length, key.length * 2));
            }
            System.arraycopy(run, pos, key, shared, suffix);
            pos += suffix;
            keyLength = length;
            a = unzigzag(varLong());
            b = withCount ? unzigzag(varLong()) : 0;
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new CorruptRunException("shuffle run ends inside entry " + read);
        }
        read++;
        return true;
    }

    /** The current key's bytes, {@code key()[0, keyLength())}. */
    public byte[] key() {
        return key;
    }

    public int keyLength() {
        return keyLength;
    }

    public long a() {
        return a;
    }

    public long b() {
        return b;
    }

    /** Number of entries in the run. */
    public int entries() {
        return entries;
    }

    private long varLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = run[pos++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw new CorruptRunException("shuffle run has an over-long varint");
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int getInt(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
