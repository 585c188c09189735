package dev.mapreduce.engine.sql;

/**
 * unnest(tokenize(s)): the words of a text, as WORD_COUNT counts them: maximal runs of
 * {@code [A-Za-z0-9_]}, lowercased. Each word is handed to the callback in {@link Row#unnested},
 * straight from the input bytes when it has no capital letter.
 */
final class Tokenize {

    private static final boolean[] WORD = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            WORD[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
    }

    private final Ev text;
    private final Slice word = new Slice();
    private byte[] lowered = new byte[64];

    Tokenize(Ev text) {
        this.text = text;
    }

    /** Calls {@code each} once per word of the current record, with {@code r.unnested} set to it. */
    void forEach(Row r, Runnable each) {
        Slice s = text.str(r);
        if (s == null) {
            return;
        }
        byte[] b = s.a;
        int i = s.off;
        int end = s.off + s.len;
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
                word.set(b, start, len);
            } else {
                if (len > lowered.length) {
                    lowered = new byte[Math.max(len, lowered.length * 2)];
                }
                for (int k = 0; k < len; k++) {
                    byte c = b[start + k];
                    lowered[k] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
                }
                word.set(lowered, 0, len);
            }
            r.unnested = word;
            r.seq++;
            each.run();
        }
    }
}
