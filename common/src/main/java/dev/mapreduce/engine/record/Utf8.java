package dev.mapreduce.engine.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Strict UTF-8 validation (no overlong forms, no surrogates, nothing above U+10FFFF). */
public final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    /** Whether {@code b[off, off + len)} is well-formed UTF-8. */
    public static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (i + 8 <= end && (((long) LONGS.get(b, i)) & HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = sequenceLength(b, i, end);
            if (n < 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /**
     * Length of the multi-byte sequence starting at {@code b[i]} (whose high bit is set), or -1 if
     * it is not well-formed or runs past {@code end}.
     */
    public static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        if (c < 0xC2) {
            return -1; // continuation byte or overlong two-byte lead
        }
        if (c < 0xE0) {
            return i + 1 < end && isContinuation(b[i + 1]) ? 2 : -1;
        }
        if (c < 0xF0) {
            if (i + 2 >= end) {
                return -1;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c == 0xE0 && c1 < 0xA0) {
                return -1; // overlong
            }
            if (c == 0xED && c1 >= 0xA0) {
                return -1; // UTF-16 surrogate
            }
            return isContinuation(b[i + 1]) && isContinuation(b[i + 2]) ? 3 : -1;
        }
        if (c < 0xF5) {
            if (i + 3 >= end) {
                return -1;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c == 0xF0 && c1 < 0x90) {
                return -1; // overlong
            }
            if (c == 0xF4 && c1 >= 0x90) {
                return -1; // above U+10FFFF
            }
            return isContinuation(b[i + 1]) && isContinuation(b[i + 2]) && isContinuation(b[i + 3]) ? 4 : -1;
        }
        return -1;
    }

    private static boolean isContinuation(byte x) {
        return (x & 0xC0) == 0x80;
    }
}
