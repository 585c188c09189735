package dev.mapreduce.engine.record;

import java.nio.charset.StandardCharsets;

/**
 * One parsed log line, as UTF-8 byte slices of its four fields. It is a reusable view: the parser
 * refills it for every line, and the slices are only valid until the next line is parsed.
 */
public final class LogRecord {

    private static final int FIELDS = LogField.values().length;

    private final byte[][] arrays = new byte[FIELDS][];
    private final int[] offsets = new int[FIELDS];
    private final int[] lengths = new int[FIELDS];
    /** Holds field values whose JSON form had escapes, decoded. */
    private byte[] scratch = new byte[256];

    private int scratchUsed;

    /** The array holding {@code field}'s bytes. */
    public byte[] array(LogField field) {
        return arrays[field.ordinal()];
    }

    public int offset(LogField field) {
        return offsets[field.ordinal()];
    }

    public int length(LogField field) {
        return lengths[field.ordinal()];
    }

    /** The field decoded to a {@code String} (allocates; the hot path uses the byte slices). */
    public String string(LogField field) {
        int f = field.ordinal();
        return new String(arrays[f], offsets[f], lengths[f], StandardCharsets.UTF_8);
    }

    /** Whether {@code field}'s bytes equal the ASCII text {@code ascii}. */
    public boolean is(LogField field, String ascii) {
        int f = field.ordinal();
        int len = lengths[f];
        if (len != ascii.length()) {
            return false;
        }
        byte[] a = arrays[f];
        int off = offsets[f];
        for (int i = 0; i < len; i++) {
            if (a[off + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    void reset() {
        for (int f = 0; f < FIELDS; f++) {
            arrays[f] = null;
            lengths[f] = -1;
        }
        scratchUsed = 0;
    }

    boolean complete() {
        for (int f = 0; f < FIELDS; f++) {
            if (arrays[f] == null) {
                return false;
            }
        }
        return true;
    }

    void set(int field, byte[] array, int off, int len) {
        arrays[field] = array;
        offsets[field] = off;
        lengths[field] = len;
    }

    void clear(int field) {
        arrays[field] = null;
        lengths[field] = -1;
    }

    /** Room for {@code n} more decoded bytes; returns the array to write them to at {@link #scratchUsed()}. */
    byte[] scratchFor(int n) {
        if (scratchUsed + n > scratch.length) {
            // Fields already decoded keep pointing at the old array, which stays intact.
            byte[] bigger = new byte[Math.max(scratch.length * 2, scratchUsed + n)];
            System.arraycopy(scratch, 0, bigger, 0, scratchUsed);
            scratch = bigger;
        }
        return scratch;
    }

    int scratchUsed() {
        return scratchUsed;
    }

    void scratchAdvance(int n) {
        scratchUsed += n;
    }
}
