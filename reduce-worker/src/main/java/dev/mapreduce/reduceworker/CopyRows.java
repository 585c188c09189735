package dev.mapreduce.reduceworker;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.record.ResultKeys;
import dev.mapreduce.engine.shuffle.PartialSink;
import dev.mapreduce.runtime.Cancellation;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.UUID;
import org.postgresql.copy.CopyIn;

/**
 * Streams reduced keys into {@code COPY results (job_id, result_key, result_value) FROM STDIN} in
 * PostgreSQL's text format, one reusable buffer for all rows: the key's UTF-8 bytes go in as they
 * are (escaped), the value as ASCII digits, so no row makes a {@code String}. Every
 * {@value #CANCEL_CHECK_ROWS} rows it checks whether the attempt was cancelled.
 */
final class CopyRows implements PartialSink {

    static final int BUFFER_BYTES = 64 * 1024;
    static final int CANCEL_CHECK_ROWS = 4096;
    /** Room for a tab, the longest value (a long, or an AVG with its decimals), and a newline. */
    private static final int VALUE_BYTES = 48;

    private final CopyIn copy;
    private final ReduceFunction function;
    private final byte[] jobPrefix;
    private final Cancellation cancellation;
    private byte[] buffer = new byte[BUFFER_BYTES];
    private int size;
    private long rows;

    CopyRows(CopyIn copy, ReduceFunction function, UUID jobId) {
        this(copy, function, jobId, new Cancellation());
    }

    CopyRows(CopyIn copy, ReduceFunction function, UUID jobId, Cancellation cancellation) {
        this.copy = copy;
        this.cancellation = cancellation;
        this.function = function;
        this.jobPrefix = (jobId + "\t").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void accept(byte[] key, int len, long a, long b) {
        if (rows % CANCEL_CHECK_ROWS == 0) {
            cancellation.throwIfCancelled();
        }
        int worst = jobPrefix.length + ResultKeys.MAX_EXPANSION * len + VALUE_BYTES;
        if (size + worst > buffer.length) {
            flush();
            if (worst > buffer.length) {
                buffer = new byte[worst];
            }
        }
        System.arraycopy(jobPrefix, 0, buffer, size, jobPrefix.length);
        size += jobPrefix.length;
        appendKey(key, len);
        buffer[size++] = '\t';
        appendValue(a, b);
        buffer[size++] = '\n';
        rows++;
    }

    /** Rows accepted so far. */
    long rows() {
        return rows;
    }

    /** Sends what is buffered to the server. */
    void flush() {
        if (size == 0) {
            return;
        }
        try {
            copy.writeToCopy(buffer, 0, size);
        } catch (SQLException e) {
            throw new CopyFailedException(e);
        }
        size = 0;
    }

    /**
     * Text format escapes: backslash, newline, carriage return and tab; PostgreSQL text cannot hold
     * NUL, so a NUL becomes ␀ as in {@code mr local} ({@link ResultKeys}).
     */
    private void appendKey(byte[] key, int len) {
        byte[] out = buffer;
        int i = size;
        for (int k = 0; k < len; k++) {
            byte c = key[k];
            switch (c) {
                case '\\' -> {
                    out[i++] = '\\';
                    out[i++] = '\\';
                }
                case '\n' -> {
                    out[i++] = '\\';
                    out[i++] = 'n';
                }
                case '\r' -> {
                    out[i++] = '\\';
                    out[i++] = 'r';
                }
                case '\t' -> {
                    out[i++] = '\\';
                    out[i++] = 't';
                }
                case 0 -> i = ResultKeys.putNulReplacement(out, i);
                default -> out[i++] = c;
            }
        }
        size = i;
    }

    private void appendValue(long a, long b) {
        if (function.usesCount()) {
            byte[] text = function.result(a, b).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, buffer, size, text.length);
            size += text.length;
        } else {
            appendLong(a);
        }
    }

    private void appendLong(long v) {
        if (v == Long.MIN_VALUE) {
            byte[] text = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, buffer, size, text.length);
            size += text.length;
            return;
        }
        if (v < 0) {
            buffer[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int end = size + digits;
        for (int i = end - 1; i >= size; i--) {
            buffer[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size = end;
    }

    /** Carries a failed write out of the merge, which takes no checked exceptions. */
    static final class CopyFailedException extends RuntimeException {

        CopyFailedException(SQLException cause) {
            super(cause);
        }

        @Override
        public SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
