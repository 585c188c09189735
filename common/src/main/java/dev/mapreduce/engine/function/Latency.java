package dev.mapreduce.engine.function;

import dev.mapreduce.engine.record.Record;
import java.util.List;

/**
 * LATENCY: for a message that reports a duration in milliseconds ({@code "took 532 ms"},
 * {@code "in 12ms"}: a whole number of at most 18 digits, not part of a longer word, then
 * {@code ms} as a word of its own, with at most one space between), emits (service, that number).
 * The first such duration in the message counts; messages without one emit nothing.
 */
final class Latency implements MapFunction {

    private static final int SERVICE = 0;
    private static final int MESSAGE = 1;
    private static final List<String> FIELDS = List.of("service", "message");

    @Override
    public List<String> fields() {
        return FIELDS;
    }

    @Override
    public void map(Record record, Emitter out) {
        byte[] b = record.array(MESSAGE);
        if (b == null || !record.present(SERVICE)) {
            return;
        }
        int start = record.offset(MESSAGE);
        int end = start + record.length(MESSAGE);
        int i = start;
        while (i < end) {
            if (!isDigit(b[i]) || (i > start && isWordByte(b[i - 1]))) {
                i++;
                continue;
            }
            int digitsStart = i;
            while (i < end && isDigit(b[i])) {
                i++;
            }
            int j = i < end && b[i] == ' ' ? i + 1 : i;
            boolean ms = j + 2 <= end && b[j] == 'm' && b[j + 1] == 's' && (j + 2 == end || !isWordByte(b[j + 2]));
            if (ms && i - digitsStart <= 18) {
                long value = 0;
                for (int k = digitsStart; k < i; k++) {
                    value = value * 10 + (b[k] - '0');
                }
                out.emit(record.array(SERVICE), record.offset(SERVICE), record.length(SERVICE), value);
                return;
            }
        }
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordByte(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_';
    }
}
