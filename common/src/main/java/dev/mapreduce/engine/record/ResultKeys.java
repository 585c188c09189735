package dev.mapreduce.engine.record;

import java.io.IOException;
import java.io.OutputStream;

/**
 * How a result key is stored: PostgreSQL {@code text} cannot hold NUL (U+0000), so the cluster's
 * reduce and {@code mr local} both write each NUL of a key as the symbol ␀ (U+2400, "symbol for
 * null"), and a job whose keys hold NULs gives the same rows on both. Every other byte is kept.
 */
public final class ResultKeys {

    /** What a NUL in a key becomes. */
    public static final char NUL_REPLACEMENT = '\u2400';

    /** {@link #NUL_REPLACEMENT} in UTF-8. */
    private static final byte[] NUL_REPLACEMENT_UTF8 = {(byte) 0xE2, (byte) 0x90, (byte) 0x80};

    /** The most bytes one key byte can become. */
    public static final int MAX_EXPANSION = NUL_REPLACEMENT_UTF8.length;

    private ResultKeys() {}

    /** Writes {@code key[0, len)} to {@code out} with each NUL replaced. */
    public static void write(byte[] key, int len, OutputStream out) throws IOException {
        int from = 0;
        for (int i = 0; i < len; i++) {
            if (key[i] == 0) {
                out.write(key, from, i - from);
                out.write(NUL_REPLACEMENT_UTF8);
                from = i + 1;
            }
        }
        out.write(key, from, len - from);
    }

    /** Puts the replacement of a NUL into {@code out} at {@code at}; returns the index after it. */
    public static int putNulReplacement(byte[] out, int at) {
        System.arraycopy(NUL_REPLACEMENT_UTF8, 0, out, at, NUL_REPLACEMENT_UTF8.length);
        return at + NUL_REPLACEMENT_UTF8.length;
    }

    /** {@code key} as it is stored. */
    public static String of(String key) {
        return key.replace('\0', NUL_REPLACEMENT);
    }
}
