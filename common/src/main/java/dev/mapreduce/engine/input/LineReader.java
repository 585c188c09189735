package dev.mapreduce.engine.input;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits a byte stream into lines ended by {@code \n}, {@code \r} or {@code \r\n}, the rules of
 * Java's {@code BufferedReader} and Hadoop's {@code LineRecordReader}. The stream starts at file
 * position {@code start}; when {@code start > 0} the (partial) line running through it belongs to
 * the previous split and is skipped; lines that start at a position {@code <= end} are delivered.
 */
final class LineReader {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long BELOW_0E = 0x0E0E0E0E0E0E0E0EL;

    private final InputStream in;
    private final long end;
    private final int maxLine;
    private byte[] buf = new byte[256 << 10];
    private int pos;
    private int limit;
    /** File position of {@code buf[0]}. */
    private long base;

    private boolean eof;
    /** File position of the line being delivered, for {@link #position()}. */
    private long current;

    LineReader(InputStream in, long start, long end, int maxLine) {
        this.in = in;
        this.base = start;
        this.end = end;
        this.maxLine = maxLine;
    }

    /** File position of the line being delivered (valid during a {@link LineHandler} call). */
    long position() {
        return current;
    }

    void forEachLine(LineHandler handler) throws IOException {
        if (base > 0 && !skipLine()) {
            return;
        }
        while (base + pos <= end) {
            int t = findTerminator();
            current = base + pos;
            if (t < 0) {
                if (pos == limit) {
                    return; // end of input exactly at a line boundary
                }
                if (eof) {
                    handler.line(buf, pos, limit - pos);
                    return;
                }
                if (limit - pos >= maxLine) {
                    handler.oversizedLine();
                    if (!skipLine()) {
                        return;
                    }
                }
                continue;
            }
            if (t - pos >= maxLine) {
                handler.oversizedLine(); // the buffer can outgrow the limit while looking past a \r
            } else {
                handler.line(buf, pos, t - pos);
            }
            pos = afterTerminator(t);
        }
    }

    /**
     * Reads multi-line events: every line from the split's start (its partial first line skipped,
     * as {@link #forEachLine} does), each marked owned when it starts at or before the split's end,
     * until {@code events} has what the split owns or the input ends. With {@code header}, the first
     * line read goes to {@code header.header(...)} instead.
     */
    void forEachEvent(EventAssembler events, LineHandler header) throws IOException {
        if (base > 0 && !skipLine()) {
            events.finish();
            return;
        }
        while (true) {
            int t = findTerminator();
            current = base + pos;
            boolean owned = current <= end;
            boolean more;
            int next;
            if (t < 0) {
                if (pos == limit) {
                    break; // end of input exactly at a line boundary
                }
                if (eof) {
                    next = limit;
                    t = limit;
                } else if (limit - pos >= maxLine) {
                    if (header != null) {
                        header.header(buf, pos, 0);
                        header = null;
                        more = true;
                    } else {
                        more = events.oversized(owned);
                    }
                    if (!more || !skipLine()) {
                        break;
                    }
                    continue;
                } else {
                    continue;
                }
            } else {
                next = afterTerminator(t);
            }
            if (header != null) {
                header.header(buf, pos, Math.min(t - pos, maxLine));
                header = null;
                more = true;
            } else if (t - pos >= maxLine) {
                more = events.oversized(owned);
            } else {
                more = events.line(buf, pos, t - pos, owned);
            }
            pos = next;
            if (!more || next == limit && eof) {
                break;
            }
        }
        events.finish();
    }

    /**
     * Finds the next terminator at or after {@code pos}, reading more input as needed; returns -1
     * when the buffer must be refilled first (it has been, unless at end of input or at the line
     * limit). A {@code \r} is only returned once the byte after it is known.
     */
    private int findTerminator() throws IOException {
        int from = pos;
        while (true) {
            int t = indexOfTerminator(buf, from, limit);
            if (t >= 0 && (buf[t] == '\n' || t + 1 < limit || eof)) {
                return t;
            }
            if (eof || (t < 0 && limit - pos >= maxLine)) {
                return -1;
            }
            from = t >= 0 ? t - pos : limit - pos; // offsets survive compaction relative to pos
            fill();
            from += pos;
        }
    }

    private int afterTerminator(int t) {
        return buf[t] == '\r' && t + 1 < limit && buf[t + 1] == '\n' ? t + 2 : t + 1;
    }

    /** Discards input up to and including the next terminator; false at end of input. */
    private boolean skipLine() throws IOException {
        while (true) {
            int t = indexOfTerminator(buf, pos, limit);
            if (t >= 0 && (buf[t] == '\n' || t + 1 < limit || eof)) {
                pos = afterTerminator(t);
                return true;
            }
            if (eof) {
                pos = limit;
                return false;
            }
            // keep a trailing \r so its \n is seen after the refill
            pos = t >= 0 ? t : limit;
            fill();
        }
    }

    /** Moves the unread bytes to the front, grows the buffer if full, and reads more. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            base += pos;
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            byte[] bigger = new byte[(int) Math.min((long) buf.length * 2, Integer.MAX_VALUE - 16)];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        int want = buf.length - limit;
        int n = in.readNBytes(buf, limit, want);
        limit += n;
        eof = n < want; // readNBytes returns short only at end of stream
    }

    /** Index of the first {@code \n} or {@code \r} in {@code b[from, to)}, or -1; eight bytes a step. */
    static int indexOfTerminator(byte[] b, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            // bytes below 0x0E, where \n (0x0A) and \r (0x0D) are: the lowest flag is the first such byte
            long w = (long) LONGS.get(b, i);
            long m = (w - BELOW_0E) & ~w & HIGHS;
            if (m == 0) {
                i += 8;
                continue;
            }
            int at = i + (Long.numberOfTrailingZeros(m) >>> 3);
            if (b[at] == '\n' || b[at] == '\r') {
                return at;
            }
            i = at + 1; // another control character, such as a tab
        }
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }
}
