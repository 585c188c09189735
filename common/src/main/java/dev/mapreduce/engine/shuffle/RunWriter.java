package dev.mapreduce.engine.shuffle;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Encodes one run (see {@link RunFormat}); keys must be added in non-decreasing order. A writer
 * either keeps the run in memory ({@link #finish()} returns it) or streams it to an output
 * stream a block at a time ({@link #end()}), holding one block.
 */
public final class RunWriter {

    private final boolean withCount;
    private final boolean withState;
    private final OutputStream stream;
    private final CRC32C crc = new CRC32C();
    private byte[] out;
    private int size;
    /** Where the open block's length field is in {@code out}. */
    private int blockStart;

    private long flushed;
    private int chain;
    private byte[] previous = new byte[64];
    private int previousLength = -1;
    private long entries;
    private boolean ended;

    /** A writer that keeps the run in memory. */
    public RunWriter(boolean withCount) {
        this(withCount, 1024);
    }

    /** A writer that keeps the run in memory, starting with room for {@code initialCapacity} bytes. */
    public RunWriter(boolean withCount, int initialCapacity) {
        this(withCount, false, null, Math.max(initialCapacity, 64));
    }

    /** A writer that streams the run to {@code stream}; it never closes the stream. */
    public RunWriter(boolean withCount, OutputStream stream) {
        this(withCount, false, stream, RunFormat.BLOCK_BYTES + 1024);
    }

    /** A writer of a run of aggregate states (see {@link #addState}), in memory. */
    public static RunWriter ofStates() {
        return new RunWriter(false, true, null, 1024);
    }

    /** A writer of a run of aggregate states, streamed to {@code stream}; it never closes the stream. */
    public static RunWriter ofStates(OutputStream stream) {
        return new RunWriter(false, true, stream, RunFormat.BLOCK_BYTES + 1024);
    }

    private RunWriter(boolean withCount, boolean withState, OutputStream stream, int capacity) {
        this.withCount = withCount;
        this.withState = withState;
        this.stream = stream;
        this.out = new byte[capacity];
        out[0] = RunFormat.MAGIC_0;
        out[1] = RunFormat.MAGIC_1;
        out[2] = RunFormat.VERSION;
        out[3] = (byte) (withState ? RunFormat.FLAG_STATE : withCount ? RunFormat.FLAG_WITH_COUNT : 0);
        chain = RunFormat.headerChecksum(out, 0);
        blockStart = RunFormat.HEADER_BYTES;
        size = blockStart + RunFormat.BLOCK_HEADER_BYTES;
    }

    /**
     * Appends a key and its partial.
     *
     * @throws UncheckedIOException if the output stream fails
     */
    public void add(byte[] key, int off, int len, long a, long b) {
        if (withState) {
            throw new IllegalStateException("a run of aggregate states takes addState()");
        }
        writeKey(key, off, len, shared(key, off, len), 20);
        size = putVarLong(out, size, zigzag(a));
        if (withCount) {
            size = putVarLong(out, size, zigzag(b));
        }
        endEntry();
    }

    /**
     * Appends a key and its encoded aggregate state {@code state[stateOff, stateOff + stateLen)}.
     *
     * @throws UncheckedIOException if the output stream fails
     */
    public void addState(byte[] key, int off, int len, byte[] state, int stateOff, int stateLen) {
        if (!withState) {
            throw new IllegalStateException("a run of partials takes add()");
        }
        writeState(key, off, len, shared(key, off, len), state, stateOff, stateLen);
    }

    /**
     * Appends a key and its encoded aggregate state as {@link #addState} does, unless the key is
     * the one added last: for keys whose states hold nothing (count(DISTINCT) values), where a
     * repeat adds nothing. True if it appended.
     *
     * @throws UncheckedIOException if the output stream fails
     */
    public boolean addStateOnce(byte[] key, int off, int len, byte[] state, int stateOff, int stateLen) {
        if (!withState) {
            throw new IllegalStateException("a run of partials takes add()");
        }
        int shared = shared(key, off, len);
        if (shared == len && len == previousLength) {
            return false;
        }
        writeState(key, off, len, shared, state, stateOff, stateLen);
        return true;
    }

    private void writeState(byte[] key, int off, int len, int shared, byte[] state, int stateOff, int stateLen) {
        writeKey(key, off, len, shared, stateLen + 10);
        size = putVarLong(out, size, stateLen);
        System.arraycopy(state, stateOff, out, size, stateLen);
        size += stateLen;
        endEntry();
    }

    /** How many first bytes the key shares with the one added last (0 for the first key). */
    private int shared(byte[] key, int off, int len) {
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
        return shared;
    }

    /** Writes the key part of an entry, leaving room for {@code more} bytes of value. */
    private void writeKey(byte[] key, int off, int len, int shared, int more) {
        ensure(len - shared + 10 + more);
        size = putVarLong(out, size, shared);
        size = putVarLong(out, size, len - shared);
        System.arraycopy(key, off + shared, out, size, len - shared);
        size += len - shared;
        if (len > previous.length) {
            previous = Arrays.copyOf(previous, Math.max(len, previous.length * 2));
        }
        System.arraycopy(key, off + shared, previous, shared, len - shared);
        previousLength = len;
    }

    private void endEntry() {
        entries++;
        if (size - blockStart - RunFormat.BLOCK_HEADER_BYTES >= RunFormat.BLOCK_BYTES) {
            closeBlock();
        }
    }

    public long entries() {
        return entries;
    }

    /** Encoded size so far: the header, the blocks and, once finished, the trailer. */
    public long size() {
        boolean openBlockEmpty = !ended && size == blockStart + RunFormat.BLOCK_HEADER_BYTES;
        return flushed + size - (openBlockEmpty ? RunFormat.BLOCK_HEADER_BYTES : 0);
    }

    /** The finished run of a writer that keeps it in memory; the writer must not be used afterwards. */
    public byte[] finish() {
        if (stream != null) {
            throw new IllegalStateException("a writer streaming its run ends with end()");
        }
        writeTrailer();
        return Arrays.copyOf(out, size);
    }

    /**
     * Writes the rest of a streamed run, its trailer included, to the stream and flushes it; the
     * writer must not be used afterwards.
     *
     * @throws UncheckedIOException if the output stream fails
     */
    public void end() {
        if (stream == null) {
            throw new IllegalStateException("a writer keeping its run in memory ends with finish()");
        }
        writeTrailer();
        flush();
        try {
            stream.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeTrailer() {
        if (ended) {
            throw new IllegalStateException("the run is already finished");
        }
        if (size > blockStart + RunFormat.BLOCK_HEADER_BYTES) {
            closeBlock();
        }
        size = blockStart; // the open block was empty: the trailer takes its place
        ensure(RunFormat.TRAILER_BYTES);
        RunFormat.putInt(out, size, 0);
        RunFormat.putLong(out, size + 4, entries);
        RunFormat.putInt(out, size + 12, RunFormat.trailerChecksum(crc, chain, entries));
        size += RunFormat.TRAILER_BYTES;
        ended = true;
    }

    /** Seals the open block with its length and checksum and opens the next one. */
    private void closeBlock() {
        int length = size - blockStart - RunFormat.BLOCK_HEADER_BYTES;
        RunFormat.putInt(out, blockStart, length);
        chain = RunFormat.blockChecksum(crc, chain, out, blockStart, length);
        RunFormat.putInt(out, blockStart + 4, chain);
        if (stream != null) {
            flush();
        }
        blockStart = size;
        size += RunFormat.BLOCK_HEADER_BYTES;
    }

    private void flush() {
        try {
            stream.write(out, 0, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        flushed += size;
        size = 0;
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
}
