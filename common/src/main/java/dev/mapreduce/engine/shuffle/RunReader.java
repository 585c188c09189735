package dev.mapreduce.engine.shuffle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Streams the entries of one encoded run (see {@link RunFormat}). A run in memory is checked
 * whole when the reader is made; a run read from a stream is checked block by block as it
 * arrives, each block before any of its entries is returned, and its end when reached, so a
 * damaged or truncated run throws {@link CorruptRunException} before a byte of damage is used.
 */
public final class RunReader {

    private final InputStream in;
    private final int source;
    private final boolean withCount;
    private boolean withState;
    private final CRC32C crc = new CRC32C();
    private byte[] buf;
    private int pos;
    private int limit;
    private int blockEnd;
    /** The checksum the next block or the trailer chains from. */
    private int chain;
    /** Whether the blocks were checked when the reader was made. */
    private final boolean checked;

    private long read;
    private long entries = -1;
    private boolean ended;
    private byte[] key = new byte[64];
    private int keyLength;
    private long a;
    private long b;
    private int stateOff;
    private int stateLength;

    /**
     * A reader over a whole run in memory.
     *
     * @throws CorruptRunException if the run is truncated, damaged or of an unknown version
     */
    public RunReader(byte[] run) {
        this.in = null;
        this.source = -1;
        this.buf = run;
        this.limit = run.length;
        this.withCount = readHeader();
        this.entries = checkBlocks();
        this.checked = true;
    }

    /**
     * A reader over a run streamed from {@code in}, which it reads into a buffer of about
     * {@code bufferBytes} (more while one block is longer). A failure of {@code in} surfaces as an
     * {@link UncheckedIOException}, or as the unchecked exception {@code in} threw.
     *
     * @param source a number the caller tells its runs apart by, reported by {@link CorruptRunException#source()}
     * @throws CorruptRunException if the header is damaged or of an unknown version
     */
    public RunReader(InputStream in, int bufferBytes, int source) {
        this.in = in;
        this.source = source;
        this.buf = new byte[Math.max(bufferBytes, 64)];
        this.withCount = readHeader();
        this.checked = false;
    }

    /** Moves to the next entry; false after the last one. */
    public boolean next() {
        if (pos == blockEnd && !nextBlock()) {
            return false;
        }
        try {
            int shared = (int) varLong();
            int suffix = (int) varLong();
            if (shared < 0 || shared > keyLength || suffix < 0 || suffix > blockEnd - pos) {
                throw corrupt("shuffle run entry " + read + " is inconsistent");
            }
            int length = shared + suffix;
            if (length > key.length) {
                key = Arrays.copyOf(key, Math.max(length, key.length * 2));
            }
            System.arraycopy(buf, pos, key, shared, suffix);
            pos += suffix;
            keyLength = length;
            if (withState) {
                long n = varLong();
                if (n < 0 || n > blockEnd - pos) {
                    throw corrupt("shuffle run entry " + read + " has a state past its block");
                }
                stateOff = pos;
                stateLength = (int) n;
                pos += stateLength;
            } else {
                a = unzigzag(varLong());
                b = withCount ? unzigzag(varLong()) : 0;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw corrupt("shuffle run ends inside entry " + read);
        }
        if (pos > blockEnd) {
            throw corrupt("shuffle run entry " + read + " runs past the end of its block");
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

    /** Whether the run holds aggregate states (see {@link StateCodec}) rather than partials. */
    public boolean hasStates() {
        return withState;
    }

    /**
     * The current entry's encoded state: {@code stateArray()[stateOffset(), stateOffset() +
     * stateLength())}, valid until the next call of {@link #next()}.
     */
    public byte[] stateArray() {
        return buf;
    }

    public int stateOffset() {
        return stateOff;
    }

    public int stateLength() {
        return stateLength;
    }

    /**
     * Number of entries in the run: known from the start for a run in memory, for a streamed run
     * once {@link #next()} returned false.
     */
    public long entries() {
        if (entries < 0) {
            throw new IllegalStateException("a streamed run's entry count is known at its end");
        }
        return entries;
    }

    private boolean readHeader() {
        if (!fill(RunFormat.HEADER_BYTES) || buf[0] != RunFormat.MAGIC_0 || buf[1] != RunFormat.MAGIC_1) {
            throw corrupt("not a shuffle run (bad magic or shorter than its header)");
        }
        if (buf[2] != RunFormat.VERSION) {
            throw corrupt("unknown shuffle run version " + buf[2]);
        }
        if ((buf[3] & ~(RunFormat.FLAG_WITH_COUNT | RunFormat.FLAG_STATE)) != 0
                || buf[3] == (RunFormat.FLAG_WITH_COUNT | RunFormat.FLAG_STATE)) {
            throw corrupt("shuffle run has unknown flags " + buf[3]);
        }
        withState = (buf[3] & RunFormat.FLAG_STATE) != 0;
        chain = RunFormat.headerChecksum(buf, 0);
        pos = RunFormat.HEADER_BYTES;
        blockEnd = pos;
        return (buf[3] & RunFormat.FLAG_WITH_COUNT) != 0;
    }

    /** Checks every block and the trailer of a run in memory; returns its entry count. */
    private long checkBlocks() {
        int at = pos;
        int checksum = chain;
        for (int block = 0; ; block++) {
            if (limit - at < 4) {
                throw corrupt("shuffle run is truncated after block " + block);
            }
            int length = RunFormat.getInt(buf, at);
            if (length == 0) {
                if (limit - at < RunFormat.TRAILER_BYTES) {
                    throw corrupt("shuffle run is truncated in its trailer");
                }
                long count = RunFormat.getLong(buf, at + 4);
                if (RunFormat.trailerChecksum(crc, checksum, count) != RunFormat.getInt(buf, at + 12)) {
                    throw corrupt("shuffle run trailer checksum mismatch");
                }
                if (at + RunFormat.TRAILER_BYTES != limit) {
                    throw corrupt("shuffle run has bytes after its trailer");
                }
                return count;
            }
            if (length < 0 || length > limit - at - RunFormat.BLOCK_HEADER_BYTES) {
                throw corrupt("shuffle run block " + block + " is truncated or has a damaged length");
            }
            checksum = RunFormat.blockChecksum(crc, checksum, buf, at, length);
            if (checksum != RunFormat.getInt(buf, at + 4)) {
                throw corrupt("shuffle run block " + block + " checksum mismatch");
            }
            at += RunFormat.BLOCK_HEADER_BYTES + length;
        }
    }

    /** Moves to the next block, checking it unless it was; false (after checking the end) if there is none. */
    private boolean nextBlock() {
        if (ended) {
            return false;
        }
        if (!fill(4)) {
            throw corrupt("shuffle run is truncated after entry " + read);
        }
        int length = RunFormat.getInt(buf, pos);
        if (length == 0) {
            readTrailer();
            return false;
        }
        if (length < 0 || length > RunFormat.MAX_BLOCK_BYTES) {
            throw corrupt("shuffle run has a block of impossible length " + length);
        }
        if (!fill(RunFormat.BLOCK_HEADER_BYTES + length)) {
            throw corrupt("shuffle run is truncated inside a block after entry " + read);
        }
        if (!checked) {
            int checksum = RunFormat.blockChecksum(crc, chain, buf, pos, length);
            if (checksum != RunFormat.getInt(buf, pos + 4)) {
                throw corrupt("shuffle run block checksum mismatch after entry " + read);
            }
            chain = checksum;
        }
        pos += RunFormat.BLOCK_HEADER_BYTES;
        blockEnd = pos + length;
        return true;
    }

    private void readTrailer() {
        if (!fill(RunFormat.TRAILER_BYTES)) {
            throw corrupt("shuffle run is truncated in its trailer");
        }
        long count = RunFormat.getLong(buf, pos + 4);
        if (!checked && RunFormat.trailerChecksum(crc, chain, count) != RunFormat.getInt(buf, pos + 12)) {
            throw corrupt("shuffle run trailer checksum mismatch");
        }
        if (count != read) {
            throw corrupt("shuffle run holds " + read + " entries, its trailer says " + count);
        }
        pos += RunFormat.TRAILER_BYTES;
        blockEnd = pos;
        if (pos != limit || (in != null && readByte() >= 0)) {
            throw corrupt("shuffle run has bytes after its trailer");
        }
        entries = count;
        ended = true;
    }

    /**
     * Makes {@code buf[pos, pos + n)} hold the run's next {@code n} bytes; false if it ends first.
     * The buffer grows only as bytes arrive, so a damaged length cannot make it huge.
     */
    private boolean fill(int n) {
        if (limit - pos >= n) {
            return true;
        }
        if (in == null) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            blockEnd -= pos;
            pos = 0;
        }
        try {
            while (limit < n) {
                if (limit == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
                }
                int got = in.read(buf, limit, buf.length - limit);
                if (got < 0) {
                    return false;
                }
                limit += got;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shuffle run: " + e.getMessage(), e);
        }
        return true;
    }

    private int readByte() {
        try {
            return in.read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shuffle run: " + e.getMessage(), e);
        }
    }

    private long varLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = buf[pos++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return v;
            }
        }
        throw corrupt("shuffle run has an over-long varint");
    }

    private CorruptRunException corrupt(String message) {
        return new CorruptRunException(message, source);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
