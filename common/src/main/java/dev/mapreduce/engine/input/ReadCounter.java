package dev.mapreduce.engine.input;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes and lines read so far by any number of tasks, for a progress display. Each task counts in
 * plain fields of its own and publishes every {@value #PUBLISH_EVERY} lines and at its end, so the
 * read loop pays for no shared write per line. A line counts its bytes plus one for its
 * terminator (a CRLF file reads one byte short per line; .gz inputs count uncompressed bytes).
 */
public final class ReadCounter {

    private static final int PUBLISH_EVERY = 1024;

    private final LongAdder bytes = new LongAdder();
    private final LongAdder lines = new LongAdder();

    /** Bytes read so far, as published. */
    public long bytes() {
        return bytes.sum();
    }

    /** Lines (or multi-line events, or skipped oversized lines) read so far, as published. */
    public long lines() {
        return lines.sum();
    }

    /** {@code source}, counting what it delivers into this counter. */
    public LineSource counting(LineSource source) {
        return new LineSource() {
            @Override
            public void forEachLine(LineHandler handler) throws IOException {
                Counting counting = new Counting(handler);
                try {
                    source.forEachLine(counting);
                } finally {
                    counting.publish();
                }
            }

            @Override
            public void forEachRecord(EventStart start, boolean header, LineHandler handler) throws IOException {
                Counting counting = new Counting(handler);
                try {
                    source.forEachRecord(start, header, counting);
                } finally {
                    counting.publish();
                }
            }
        };
    }

    /** Adds to this counter directly, for a reader that counts on its own. */
    public void add(long byteCount, long lineCount) {
        bytes.add(byteCount);
        lines.add(lineCount);
    }

    private final class Counting implements LineHandler {
        private final LineHandler target;
        private long pendingBytes;
        private int pendingLines;

        Counting(LineHandler target) {
            this.target = target;
        }

        @Override
        public void line(byte[] buf, int off, int len) {
            target.line(buf, off, len);
            counted(len + 1L);
        }

        @Override
        public void oversizedLine() {
            target.oversizedLine();
            counted(0);
        }

        @Override
        public void locator(Locator locator) {
            target.locator(locator);
        }

        @Override
        public void header(byte[] buf, int off, int len) {
            target.header(buf, off, len);
            pendingBytes += len + 1L;
        }

        private void counted(long lineBytes) {
            pendingBytes += lineBytes;
            if (++pendingLines == PUBLISH_EVERY) {
                publish();
            }
        }

        void publish() {
            add(pendingBytes, pendingLines);
            pendingBytes = 0;
            pendingLines = 0;
        }
    }
}
