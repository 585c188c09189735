package dev.mapreduce.engine.record;

import java.nio.charset.StandardCharsets;

/**
 * One parsed record: numbered slots, each a UTF-8 byte slice or absent (SQL NULL). It is a
 * reusable view: its parser refills it for every line (or multi-line event), and the slices are
 * only valid until the next parse. Which field a slot holds is fixed when the parser is made
 * ({@code LogFormat.newParser(fields)}: slot {@code i} holds {@code fields.get(i)}), so the
 * per-record path never looks a name up.
 *
 * <p>A parser may keep more slots than it was asked for ({@link #slots()} counts only the asked
 * ones): the default format, for one, checks that all four of its fields are strings even when a
 * function reads only the message. The mutators are for parsers.
 */
public final class Record {

    private final int slots;
    private final byte[][] arrays;
    private final int[] offsets;
    private final int[] lengths;
    /** Holds values that are not slices of the line as they stand (decoded JSON escapes, joined parts). */
    private byte[] scratch = new byte[256];

    private int scratchUsed;

    /** A record of {@code slots} visible slots and no hidden ones. */
    public Record(int slots) {
        this(slots, slots);
    }

    /**
     * A record whose first {@code slots} slots are visible and the rest, up to {@code capacity},
     * are the parser's own.
     */
    public Record(int slots, int capacity) {
        if (slots < 0 || capacity < slots) {
            throw new IllegalArgumentException("bad record shape: " + slots + " slots of " + capacity);
        }
        this.slots = slots;
        this.arrays = new byte[capacity][];
        this.offsets = new int[capacity];
        this.lengths = new int[capacity];
        reset();
    }

    /** How many slots the record has (the fields its parser was asked for). */
    public int slots() {
        return slots;
    }

    /** Whether the slot holds a value: false when the field is absent (or JSON null). */
    public boolean present(int slot) {
        return arrays[slot] != null;
    }

    /** The array holding the slot's bytes; null when absent. */
    public byte[] array(int slot) {
        return arrays[slot];
    }

    public int offset(int slot) {
        return offsets[slot];
    }

    /** Length of the slot's bytes, or -1 when it is absent. */
    public int length(int slot) {
        return lengths[slot];
    }

    /** The slot decoded to a {@code String} (allocates; the hot path uses the byte slices); null when absent. */
    public String string(int slot) {
        byte[] a = arrays[slot];
        return a == null ? null : new String(a, offsets[slot], lengths[slot], StandardCharsets.UTF_8);
    }

    /** Whether the slot's bytes equal the ASCII text {@code ascii} (false when absent). */
    public boolean is(int slot, String ascii) {
        int len = lengths[slot];
        if (len != ascii.length()) {
            return false;
        }
        byte[] a = arrays[slot];
        int off = offsets[slot];
        for (int i = 0; i < len; i++) {
            if (a[off + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The slot as a whole number: optional sign, then decimal digits, nothing else (no spaces).
     *
     * @return the number, or {@code ifNot} when the slot is absent, not such a number, or out of
     *     the range of a long
     */
    public long longValue(int slot, long ifNot) {
        byte[] a = arrays[slot];
        return a == null ? ifNot : Numbers.parseLong(a, offsets[slot], lengths[slot], ifNot);
    }

    /** The slot as a decimal number (Java's {@code Double.parseDouble} syntax), or NaN when absent or not one. */
    public double doubleValue(int slot) {
        byte[] a = arrays[slot];
        return a == null ? Double.NaN : Numbers.parseDouble(a, offsets[slot], lengths[slot]);
    }

    // ---- for parsers ----

    /** Clears every slot (to absent) and the scratch space, before a parse. */
    public void reset() {
        for (int f = 0; f < arrays.length; f++) {
            arrays[f] = null;
            lengths[f] = -1;
        }
        scratchUsed = 0;
    }

    /** Every slot, hidden ones included. */
    public int capacity() {
        return arrays.length;
    }

    public void set(int slot, byte[] array, int off, int len) {
        arrays[slot] = array;
        offsets[slot] = off;
        lengths[slot] = len;
    }

    public void clear(int slot) {
        arrays[slot] = null;
        lengths[slot] = -1;
    }

    /** Room for {@code n} more bytes; returns the array to write them to, at {@link #scratchUsed()}. */
    public byte[] scratchFor(int n) {
        if (scratchUsed + n > scratch.length) {
            // Slots already set keep pointing at the old array, which stays intact.
            byte[] bigger = new byte[Math.max(scratch.length * 2, scratchUsed + n)];
            System.arraycopy(scratch, 0, bigger, 0, scratchUsed);
            scratch = bigger;
        }
        return scratch;
    }

    public int scratchUsed() {
        return scratchUsed;
    }

    /** Marks {@code n} more scratch bytes used (negative: gives them back). */
    public void scratchAdvance(int n) {
        scratchUsed += n;
    }

    /** Copies {@code b[off, off + len)} to the scratch space and points the slot at the copy. */
    public void setCopy(int slot, byte[] b, int off, int len) {
        byte[] s = scratchFor(len);
        int at = scratchUsed;
        System.arraycopy(b, off, s, at, len);
        scratchUsed += len;
        set(slot, s, at, len);
    }
}
