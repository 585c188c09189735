package dev.mapreduce.engine.task;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The first malformed records of a task or job, each with where it was and why it did not parse,
 * and the rule that fails a job whose input is mostly malformed (a wrong format). Not thread-safe.
 */
public final class MalformedRecords {

    /** Samples kept per task, and per job. */
    public static final int MAX_SAMPLES = 20;

    /** A job fails when more than this share of its records is malformed, unless it sets its own limit. */
    public static final double DEFAULT_MAX_RATIO = 0.5;

    /** Characters of a sample line kept. */
    static final int MAX_LINE_CHARS = 300;

    /**
     * One malformed record: where ({@code app.log at byte 1234}, {@code topic t partition 2 offset
     * 17}), why ({@code not a JSON object}), and its first characters.
     */
    public record Sample(String where, String reason, String line) {}

    private final List<Sample> samples = new ArrayList<>();

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Keeps this sample if fewer than {@link #MAX_SAMPLES} are kept. */
    public void add(String where, String reason, byte[] b, int off, int len) {
        if (samples.size() < MAX_SAMPLES) {
            samples.add(new Sample(where, reason, excerpt(b, off, len)));
        }
    }

    public void add(Sample sample) {
        if (samples.size() < MAX_SAMPLES) {
            samples.add(sample);
        }
    }

    /** Adds {@code other}'s samples after these, up to the limit. */
    public void addAll(MalformedRecords other) {
        other.samples.forEach(this::add);
    }

    /** The first {@link #MAX_LINE_CHARS} characters of a line, invalid UTF-8 replaced. */
    static String excerpt(byte[] b, int off, int len) {
        int take = Math.min(len, MAX_LINE_CHARS * 4);
        String s = new String(b, off, take, StandardCharsets.UTF_8);
        if (s.length() > MAX_LINE_CHARS) {
            return s.substring(0, MAX_LINE_CHARS) + "…";
        }
        return take < len ? s + "…" : s;
    }

    /**
     * Why a job must fail: more than {@code maxRatio} of its {@code read} records are malformed.
     *
     * @return one line naming the format, the counts and the first sample with its reason; null when the job may go on
     */
    public static String failure(String format, long read, long malformed, double maxRatio, List<Sample> samples) {
        if (read == 0 || malformed <= maxRatio * read) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                java.util.Locale.ROOT,
                "%d of %d records (%.1f%%) are not in format %s, more than maxMalformedRatio %s allows",
                malformed,
                read,
                100.0 * malformed / read,
                format,
                stripZeros(maxRatio)));
        if (!samples.isEmpty()) {
            Sample first = samples.get(0);
            s.append("; first: ")
                    .append(first.where() == null ? "" : first.where() + ": ")
                    .append(first.reason() == null ? "malformed" : first.reason())
                    .append(": ")
                    .append(oneLine(first.line()));
        }
        return s.toString();
    }

    /** A sample line on one line: line breaks, tabs and other control characters escaped. */
    public static String oneLine(String line) {
        StringBuilder s = new StringBuilder(line.length() + 2);
        s.append('"');
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            switch (c) {
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    private static String stripZeros(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
