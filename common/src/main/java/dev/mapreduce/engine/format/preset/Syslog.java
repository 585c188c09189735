package dev.mapreduce.engine.format.preset;

import java.nio.charset.StandardCharsets;

/** What RFC 3164 and 5424 share: the {@code <PRI>} and the names and numbers it stands for. */
final class Syslog {

    /** Severity names by number, as syslog(3) and rsyslog spell them. */
    static final byte[][] SEVERITIES = bytes("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

    /** The decimal numbers 0-191, to point slots at without writing bytes per record. */
    static final byte[][] NUMBERS = new byte[192][];

    static {
        for (int n = 0; n < NUMBERS.length; n++) {
            NUMBERS[n] = Integer.toString(n).getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Syslog() {}

    /**
     * The PRI at {@code b[i]} ({@code <0>} to {@code <191>}, no leading zeros): its value, or -1.
     * Its length is that of the digits plus two.
     */
    static int priority(byte[] b, int i, int end) {
        if (i >= end || b[i] != '<') {
            return -1;
        }
        int v = 0;
        int k = i + 1;
        for (; k < end && k <= i + 3 && b[k] >= '0' && b[k] <= '9'; k++) {
            v = v * 10 + (b[k] - '0');
        }
        int digits = k - i - 1;
        if (digits == 0 || k >= end || b[k] != '>' || v > 191 || (digits > 1 && b[i + 1] == '0')) {
            return -1;
        }
        return v;
    }

    static int priorityLength(int pri) {
        return pri < 10 ? 3 : pri < 100 ? 4 : 5;
    }

    private static byte[][] bytes(String... names) {
        byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }
}
