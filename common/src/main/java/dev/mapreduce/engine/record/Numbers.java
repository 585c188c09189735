package dev.mapreduce.engine.record;

import java.nio.charset.StandardCharsets;

/** Numbers read straight from UTF-8 bytes, without a String for the common case. */
public final class Numbers {

    private Numbers() {}

    /**
     * {@code [+-]?[0-9]+} as a long.
     *
     * @return the number, or {@code ifNot} when the bytes are not such a number or it does not fit a long
     */
    public static long parseLong(byte[] b, int off, int len, long ifNot) {
        if (len <= 0) {
            return ifNot;
        }
        int i = off;
        int end = off + len;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
            if (i == end) {
                return ifNot;
            }
        }
        long value = 0; // accumulated negatively, so Long.MIN_VALUE fits
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return ifNot;
            }
            if (value < (Long.MIN_VALUE + d) / 10) {
                return ifNot;
            }
            value = value * 10 - d;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return ifNot;
            }
            return -value;
        }
        return value;
    }

    /** A decimal number in Java's syntax ({@code 1}, {@code -2.5}, {@code 3e-2}), or NaN. */
    public static double parseDouble(byte[] b, int off, int len) {
        if (len <= 0 || len > 400) {
            return Double.NaN;
        }
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!ok) {
                return Double.NaN; // no "NaN", "Infinity", hex or trailing 'd'
            }
        }
        try {
            return Double.parseDouble(new String(b, off, len, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
