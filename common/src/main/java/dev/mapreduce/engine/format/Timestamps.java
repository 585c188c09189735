package dev.mapreduce.engine.format;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Timestamp parsers. A timestamp is read with the first of its patterns that accepts it. Named
 * patterns are read straight from the bytes:
 *
 * <ul>
 *   <li>{@code ISO8601}: {@code 2026-11-20T08:15:30.123Z}; {@code T} or a space between date and
 *       time, seconds and fraction (after {@code .} or {@code ,}, up to 9 digits) optional, zone
 *       {@code Z}, {@code ±hh}, {@code ±hhmm} or {@code ±hh:mm} optional; a date alone is midnight;
 *   <li>{@code UNIX}, {@code UNIX_MS}: seconds or milliseconds since the epoch, a fraction allowed;
 *   <li>{@code HTTPDATE}: {@code 10/Oct/2000:13:55:36 -0700} (access logs);
 *   <li>{@code SYSLOG}: {@code Oct 11 22:14:15} or {@code Oct  1 22:14:15} (RFC 3164, no year).
 * </ul>
 *
 * Any other pattern is a {@code java.time} pattern ({@code EEE MMM dd HH:mm:ss yyyy}, {@code
 * yyMMdd HHmmss}, ...), English month and day names, case-insensitive.
 *
 * <p>A timestamp without a zone is in the configured zone (default UTC). A timestamp without a
 * year (syslog) takes the configured year; when none is configured, the year of the reference
 * instant (when the format was compiled: the job's start), or the year before when that would put
 * the timestamp more than a day after the reference (December lines read in January).
 */
public final class Timestamps {

    public static final String ISO8601 = "ISO8601";
    public static final String UNIX = "UNIX";
    public static final String UNIX_MS = "UNIX_MS";
    public static final String HTTPDATE = "HTTPDATE";
    public static final String SYSLOG = "SYSLOG";

    /** The named patterns, for the catalogue. */
    public static final List<String> NAMED = List.of(ISO8601, UNIX, UNIX_MS, HTTPDATE, SYSLOG);

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    private static final String[] MONTHS = {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
    };

    private Timestamps() {}

    /** How zone-less and year-less timestamps are completed. */
    public record Context(ZoneId zone, Integer year, Instant reference) {

        public static final Context UTC = new Context(ZoneOffset.UTC, null, Instant.now());

        public Context {
            zone = zone == null ? ZoneOffset.UTC : zone;
            reference = reference == null ? Instant.now() : reference;
        }
    }

    /**
     * A parser trying {@code patterns} in order.
     *
     * @throws IllegalArgumentException naming the first pattern that is neither named nor a valid java.time pattern
     */
    public static TimestampParser parser(List<String> patterns, Context context) {
        List<TimestampParser> parsers = new ArrayList<>();
        for (String p : patterns) {
            parsers.add(single(p, context));
        }
        if (parsers.size() == 1) {
            return parsers.get(0);
        }
        TimestampParser[] all = parsers.toArray(TimestampParser[]::new);
        return (b, off, len) -> {
            for (TimestampParser t : all) {
                long v = t.epochMicros(b, off, len);
                if (v != TimestampParser.NOT_A_TIMESTAMP) {
                    return v;
                }
            }
            return TimestampParser.NOT_A_TIMESTAMP;
        };
    }

    /** Why {@code pattern} cannot be used, or null when it can. */
    public static String problem(String pattern) {
        try {
            single(pattern, Context.UTC);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static TimestampParser single(String pattern, Context context) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("a timestamp pattern must not be empty");
        }
        ZoneId zone = context.zone();
        return switch (pattern.strip().toUpperCase(Locale.ROOT)) {
            case ISO8601 -> (b, off, len) -> iso8601(b, off, len, zone);
            case UNIX -> (b, off, len) -> epoch(b, off, len, MICROS_PER_SECOND);
            case UNIX_MS -> (b, off, len) -> epoch(b, off, len, 1000);
            case HTTPDATE -> Timestamps::httpDate;
            case SYSLOG -> {
                YearGuess years = new YearGuess(context);
                yield (b, off, len) -> syslog(b, off, len, zone, years);
            }
            default -> javaTime(pattern, context);
        };
    }

    // ---- ISO-8601 ----

    static long iso8601(byte[] b, int off, int len, ZoneId zone) {
        int end = off + len;
        int i = off;
        if (len < 10 || b[i + 4] != '-' || b[i + 7] != '-') {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        int year = digits(b, i, 4);
        int month = digits(b, i + 5, 2);
        int day = digits(b, i + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        i += 10;
        int hour = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        if (i < end && (b[i] == 'T' || b[i] == 't' || b[i] == ' ')) {
            if (i + 6 > end || b[i + 3] != ':') {
                return TimestampParser.NOT_A_TIMESTAMP;
            }
            hour = digits(b, i + 1, 2);
            minute = digits(b, i + 4, 2);
            i += 6;
            if (i < end && b[i] == ':') {
                if (i + 3 > end) {
                    return TimestampParser.NOT_A_TIMESTAMP;
                }
                second = digits(b, i + 1, 2);
                i += 3;
                if (i < end && (b[i] == '.' || b[i] == ',')) {
                    int start = ++i;
                    long fraction = 0;
                    while (i < end && b[i] >= '0' && b[i] <= '9') {
                        if (i - start < 6) {
                            fraction = fraction * 10 + (b[i] - '0');
                        }
                        i++;
                    }
                    int n = i - start;
                    if (n == 0 || n > 9) {
                        return TimestampParser.NOT_A_TIMESTAMP;
                    }
                    for (int k = n; k < 6; k++) {
                        fraction *= 10;
                    }
                    micros = fraction;
                }
            }
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
                return TimestampParser.NOT_A_TIMESTAMP;
            }
            if (second == 60) {
                second = 59; // a leap second reads as the second before it, as java.time does
                micros = 999_999;
            }
        }
        long local = epochDay(year, month, day) * MICROS_PER_DAY
                + ((hour * 60L + minute) * 60 + second) * MICROS_PER_SECOND
                + micros;
        if (i == end) {
            return local - offsetMicros(zone, local);
        }
        int offsetSeconds = zoneOffset(b, i, end);
        if (offsetSeconds == Integer.MIN_VALUE) {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        return local - offsetSeconds * MICROS_PER_SECOND;
    }

    /** {@code Z}, {@code ±hh}, {@code ±hhmm} or {@code ±hh:mm} filling {@code b[i, end)}, in seconds; MIN_VALUE if not one. */
    private static int zoneOffset(byte[] b, int i, int end) {
        int n = end - i;
        if (n == 1 && (b[i] == 'Z' || b[i] == 'z')) {
            return 0;
        }
        if (b[i] != '+' && b[i] != '-') {
            return Integer.MIN_VALUE;
        }
        int sign = b[i] == '-' ? -1 : 1;
        int hh;
        int mm = 0;
        if (n == 3) {
            hh = digits(b, i + 1, 2);
        } else if (n == 5) {
            hh = digits(b, i + 1, 2);
            mm = digits(b, i + 3, 2);
        } else if (n == 6 && b[i + 3] == ':') {
            hh = digits(b, i + 1, 2);
            mm = digits(b, i + 4, 2);
        } else {
            return Integer.MIN_VALUE;
        }
        if (hh < 0 || hh > 18 || mm < 0 || mm > 59) {
            return Integer.MIN_VALUE;
        }
        return sign * (hh * 3600 + mm * 60);
    }

    // ---- epoch numbers ----

    private static long epoch(byte[] b, int off, int len, long microsPerUnit) {
        int end = off + len;
        int i = off;
        boolean negative = false;
        if (i < end && b[i] == '-') {
            negative = true;
            i++;
        }
        int start = i;
        long whole = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            if (i - start >= 15) {
                return TimestampParser.NOT_A_TIMESTAMP;
            }
            whole = whole * 10 + (b[i] - '0');
            i++;
        }
        if (i == start) {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        long micros = whole * microsPerUnit;
        if (i < end && b[i] == '.') {
            i++;
            long scale = microsPerUnit;
            int fracStart = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                scale /= 10;
                micros += (b[i] - '0') * scale;
                i++;
            }
            if (i == fracStart) {
                return TimestampParser.NOT_A_TIMESTAMP;
            }
        }
        if (i != end || micros / microsPerUnit != whole) {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        return negative ? -micros : micros;
    }

    // ---- access log: dd/MMM/yyyy:HH:mm:ss Z ----

    static long httpDate(byte[] b, int off, int len) {
        if (len != 26
                || b[off + 2] != '/'
                || b[off + 6] != '/'
                || b[off + 11] != ':'
                || b[off + 14] != ':'
                || b[off + 17] != ':'
                || b[off + 20] != ' ') {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        int day = digits(b, off, 2);
        int month = month(b, off + 3);
        int year = digits(b, off + 7, 4);
        int hour = digits(b, off + 12, 2);
        int minute = digits(b, off + 15, 2);
        int second = digits(b, off + 18, 2);
        int zone = zoneOffset(b, off + 21, off + 26);
        if (month < 1
                || year < 0
                || day < 1
                || day > daysInMonth(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || zone == Integer.MIN_VALUE) {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        long local =
                epochDay(year, month, day) * MICROS_PER_DAY + ((hour * 60L + minute) * 60 + second) * MICROS_PER_SECOND;
        return local - zone * MICROS_PER_SECOND;
    }

    // ---- syslog: MMM dd HH:mm:ss, no year ----

    private static long syslog(byte[] b, int off, int len, ZoneId zone, YearGuess years) {
        if (len != 15 || b[off + 3] != ' ' || b[off + 6] != ' ' || b[off + 9] != ':' || b[off + 12] != ':') {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        int month = month(b, off);
        int day = b[off + 4] == ' ' ? digits(b, off + 5, 1) : digits(b, off + 4, 2);
        int hour = digits(b, off + 7, 2);
        int minute = digits(b, off + 10, 2);
        int second = digits(b, off + 13, 2);
        if (month < 1
                || day < 1
                || day > 31
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return TimestampParser.NOT_A_TIMESTAMP;
        }
        return years.complete(month, day, hour, minute, second, 0, zone);
    }

    /** Puts a year on a year-less date, by the documented rule. */
    static final class YearGuess {

        private final Integer fixed;
        private final Instant reference;
        private final ZoneId zone;

        YearGuess(Context context) {
            this.fixed = context.year();
            this.reference = context.reference();
            this.zone = context.zone();
        }

        long complete(int month, int day, int hour, int minute, int second, long micros, ZoneId zone) {
            if (fixed != null) {
                return local(fixed, month, day, hour, minute, second, micros, zone);
            }
            int year = reference.atZone(this.zone).getYear();
            long t = local(year, month, day, hour, minute, second, micros, zone);
            long limit = reference.getEpochSecond() * MICROS_PER_SECOND + MICROS_PER_DAY;
            if (t != TimestampParser.NOT_A_TIMESTAMP && t > limit) {
                return local(year - 1, month, day, hour, minute, second, micros, zone);
            }
            return t;
        }

        private static long local(
                int year, int month, int day, int hour, int minute, int second, long micros, ZoneId zone) {
            if (day > daysInMonth(year, month)) {
                return TimestampParser.NOT_A_TIMESTAMP;
            }
            long local = epochDay(year, month, day) * MICROS_PER_DAY
                    + ((hour * 60L + minute) * 60 + second) * MICROS_PER_SECOND
                    + micros;
            return local - offsetMicros(zone, local);
        }
    }

    // ---- java.time patterns ----

    private static TimestampParser javaTime(String pattern, Context context) {
        DateTimeFormatter formatter;
        try {
            formatter = new DateTimeFormatterBuilder()
                    .parseCaseInsensitive()
                    .appendPattern(pattern)
                    .toFormatter(Locale.ENGLISH);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + pattern + "' is neither " + String.join(", ", NAMED)
                    + " nor a java.time pattern: " + e.getMessage());
        }
        YearGuess years = new YearGuess(context);
        ZoneId zone = context.zone();
        return (b, off, len) -> {
            TemporalAccessor t;
            try {
                t = formatter.parse(new String(b, off, len, StandardCharsets.UTF_8));
            } catch (DateTimeException e) {
                return TimestampParser.NOT_A_TIMESTAMP;
            }
            try {
                if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
                    return Instant.from(t).getEpochSecond() * MICROS_PER_SECOND
                            + t.getLong(ChronoField.NANO_OF_SECOND) / 1000;
                }
                LocalTime time = t.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(t) : LocalTime.MIDNIGHT;
                long micros = time.getNano() / 1000;
                ZoneId z = t.isSupported(ChronoField.OFFSET_SECONDS)
                        ? ZoneOffset.ofTotalSeconds(t.get(ChronoField.OFFSET_SECONDS))
                        : zone;
                if (t.isSupported(ChronoField.EPOCH_DAY)) {
                    LocalDate date = LocalDate.from(t);
                    return LocalDateTime.of(date, time).atZone(z).toInstant().getEpochSecond() * MICROS_PER_SECOND
                            + micros;
                }
                if (!t.isSupported(ChronoField.MONTH_OF_YEAR) || !t.isSupported(ChronoField.DAY_OF_MONTH)) {
                    return TimestampParser.NOT_A_TIMESTAMP;
                }
                return years.complete(
                        t.get(ChronoField.MONTH_OF_YEAR),
                        t.get(ChronoField.DAY_OF_MONTH),
                        time.getHour(),
                        time.getMinute(),
                        time.getSecond(),
                        micros,
                        z);
            } catch (DateTimeException | ArithmeticException e) {
                return TimestampParser.NOT_A_TIMESTAMP;
            }
        };
    }

    // ---- arithmetic ----

    private static long offsetMicros(ZoneId zone, long localMicros) {
        if (zone == ZoneOffset.UTC) {
            return 0;
        }
        if (zone instanceof ZoneOffset fixed) {
            return fixed.getTotalSeconds() * MICROS_PER_SECOND;
        }
        long seconds = Math.floorDiv(localMicros, MICROS_PER_SECOND);
        LocalDateTime ldt = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        return zone.getRules().getOffset(ldt).getTotalSeconds() * MICROS_PER_SECOND;
    }

    /** Days from 1970-01-01 to the date (proleptic Gregorian), Howard Hinnant's days_from_civil. */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** {@code n} decimal digits at {@code i} as a number, or -1. */
    private static int digits(byte[] b, int i, int n) {
        int v = 0;
        for (int k = 0; k < n; k++) {
            int d = b[i + k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** An English month abbreviation at {@code i} (any case) as 1-12, or -1. */
    private static int month(byte[] b, int i) {
        for (int m = 0; m < 12; m++) {
            String name = MONTHS[m];
            if ((b[i] | 0x20) == name.charAt(0)
                    && (b[i + 1] | 0x20) == name.charAt(1)
                    && (b[i + 2] | 0x20) == name.charAt(2)) {
                return m + 1;
            }
        }
        return -1;
    }
}
