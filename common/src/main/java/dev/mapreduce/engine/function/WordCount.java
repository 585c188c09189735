package dev.mapreduce.engine.function;

import dev.mapreduce.engine.record.Record;
import java.util.List;

/** WORD_COUNT: each maximal run of {@code [A-Za-z0-9_]} in the message, lowercased, with value 1. */
final class WordCount implements MapFunction {

    private static final byte[] LOWER = new byte[256];
    private static final boolean[] WORD = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            WORD[c] = word;
            LOWER[c] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    }

    private static final List<String> FIELDS = List.of("message");

    private byte[] token = new byte[64];

    @Override
    public List<String> fields() {
        return FIELDS;
    }

    @Override
    public void map(Record record, Emitter out) {
        byte[] b = record.array(0);
        if (b == null) {
            return;
        }
        int i = record.offset(0);
        int end = i + record.length(0);
        while (i < end) {
            if (!WORD[b[i] & 0xFF]) {
                i++;
                continue;
            }
            int start = i;
            boolean upper = false;
            do {
                byte c = b[i];
                upper |= c >= 'A' && c <= 'Z';
                i++;
            } while (i < end && WORD[b[i] & 0xFF]);
            int len = i - start;
            if (!upper) {
                out.emit(b, start, len, 1);
            } else {
                if (len > token.length) {
                    token = new byte[Math.max(len, token.length * 2)];
                }
                for (int k = 0; k < len; k++) {
                    token[k] = LOWER[b[start + k] & 0xFF];
                }
                out.emit(token, 0, len, 1);
            }
        }
    }
}
