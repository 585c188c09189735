package dev.mapreduce.engine.sql;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** TIMESTAMP values (microseconds since the epoch, UTC): parsing, truncation, buckets, text. */
final class Times {

    static final long MICROS_PER_SECOND = 1_000_000L;
    static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    /** DuckDB's origin for buckets shorter than a month: Monday 2000-01-03 00:00:00. */
    static final long BUCKET_ORIGIN = 946_857_600L * MICROS_PER_SECOND;

    static final long NOT_A_TIMESTAMP = Long.MIN_VALUE;

    private Times() {}

    /**
     * Parses {@code YYYY-MM-DD[(T| )HH:MM[:SS[.f{1,9}]]][Z|±HH[:MM]]} (a zone offset is applied,
     * so the value is UTC); returns {@link #NOT_A_TIMESTAMP} for anything else.
     */
    static long parse(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end && b[off] == ' ') {
            off++;
        }
        while (end > off && b[end - 1] == ' ') {
            end--;
        }
        if (end - off < 10 || b[off + 4] != '-' || b[off + 7] != '-') {
            return NOT_A_TIMESTAMP;
        }
        int year = digits(b, off, 4);
        int month = digits(b, off + 5, 2);
        int day = digits(b, off + 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return NOT_A_TIMESTAMP;
        }
        int i = off + 10;
        long micros = 0;
        if (i < end && (b[i] == 'T' || b[i] == ' ')) {
            if (i + 6 > end || b[i + 3] != ':') {
                return NOT_A_TIMESTAMP;
            }
            int hour = digits(b, i + 1, 2);
            int minute = digits(b, i + 4, 2);
            int second = 0;
            i += 6;
            if (i < end && b[i] == ':') {
                second = digits(b, i + 1, 2);
                if (i + 3 > end) {
                    return NOT_A_TIMESTAMP;
                }
                i += 3;
            }
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
                return NOT_A_TIMESTAMP;
            }
            micros = (hour * 3600L + minute * 60L + second) * MICROS_PER_SECOND;
            if (i < end && b[i] == '.') {
                i++;
                long scale = 100_000;
                int start = i;
                while (i < end && b[i] >= '0' && b[i] <= '9') {
                    if (i - start < 6) {
                        micros += (b[i] - '0') * scale;
                        scale /= 10;
                    }
                    i++;
                }
                if (i == start) {
                    return NOT_A_TIMESTAMP;
                }
            }
        }
        long offsetMicros = 0;
        if (i < end && (b[i] == 'Z' || b[i] == 'z')) {
            i++;
        } else if (i < end && (b[i] == '+' || b[i] == '-')) {
            int sign = b[i] == '-' ? -1 : 1;
            int hours = digits(b, i + 1, 2);
            int minutes = 0;
            i += 3;
            if (i < end && b[i] == ':') {
                minutes = digits(b, i + 1, 2);
                i += 3;
            } else if (i + 2 <= end) {
                minutes = digits(b, i, 2);
                i += 2;
            }
            if (hours < 0 || minutes < 0 || i > end) {
                return NOT_A_TIMESTAMP;
            }
            offsetMicros = sign * (hours * 3600L + minutes * 60L) * MICROS_PER_SECOND;
        }
        if (i != end) {
            return NOT_A_TIMESTAMP;
        }
        return daysFromCivil(year, month, day) * MICROS_PER_DAY + micros - offsetMicros;
    }

    private static int digits(byte[] b, int at, int n) {
        if (at + n > b.length) {
            return -1;
        }
        int v = 0;
        for (int k = 0; k < n; k++) {
            int d = b[at + k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    static LocalDateTime toDateTime(long micros) {
        return LocalDateTime.ofEpochSecond(
                Math.floorDiv(micros, MICROS_PER_SECOND),
                (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000,
                ZoneOffset.UTC);
    }

    static long toMicros(LocalDateTime t) {
        return t.toEpochSecond(ZoneOffset.UTC) * MICROS_PER_SECOND + t.getNano() / 1000;
    }

    /** DuckDB's text of a TIMESTAMP: {@code 2026-11-20 00:01:00}, with a fraction only when there is one. */
    static String format(long micros) {
        LocalDateTime t = toDateTime(micros);
        StringBuilder sb = new StringBuilder(26);
        sb.append(t.toLocalDate()).append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        int fraction = t.getNano() / 1000;
        if (fraction != 0) {
            String f = String.format("%06d", fraction);
            int e = f.length();
            while (f.charAt(e - 1) == '0') {
                e--;
            }
            sb.append('.').append(f, 0, e);
        }
        return sb.toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append(v < 10 ? "0" : "").append(v);
    }

    enum Unit {
        SECOND,
        MINUTE,
        HOUR,
        DAY,
        MONTH,
        YEAR
    }

    static long truncate(Unit unit, long micros) {
        return switch (unit) {
            case SECOND -> Math.floorDiv(micros, MICROS_PER_SECOND) * MICROS_PER_SECOND;
            case MINUTE -> Math.floorDiv(micros, 60 * MICROS_PER_SECOND) * 60 * MICROS_PER_SECOND;
            case HOUR -> Math.floorDiv(micros, 3600 * MICROS_PER_SECOND) * 3600 * MICROS_PER_SECOND;
            case DAY -> Math.floorDiv(micros, MICROS_PER_DAY) * MICROS_PER_DAY;
            case MONTH ->
                toMicros(toDateTime(micros).truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1));
            case YEAR ->
                toMicros(toDateTime(micros).truncatedTo(ChronoUnit.DAYS).withDayOfYear(1));
        };
    }

    /**
     * A TIMESTAMP field of the record, read by its format's timestamp parser; NULL when absent or
     * not a timestamp the format reads.
     */
    static final class Field extends Ev {
        private final int slot;
        private final dev.mapreduce.engine.format.TimestampParser parser;

        Field(int slot, dev.mapreduce.engine.format.TimestampParser parser) {
            super(SqlType.TIMESTAMP);
            this.slot = slot;
            this.parser = parser;
        }

        @Override
        long lng(Row r) {
            FieldSource f = r.fields;
            int len = f.length(slot);
            long v = len < 0 ? NOT_A_TIMESTAMP : parser.epochMicros(f.array(slot), f.offset(slot), len);
            r.nul = v == NOT_A_TIMESTAMP;
            return v;
        }
    }

    /** date_trunc(unit, ts). */
    static final class Trunc extends Ev {
        private final Unit unit;
        private final Ev ts;

        Trunc(Unit unit, Ev ts) {
            super(SqlType.TIMESTAMP);
            this.unit = unit;
            this.ts = ts;
        }

        @Override
        long lng(Row r) {
            long v = ts.lng(r);
            return r.nul ? 0 : truncate(unit, v);
        }
    }

    /** time_bucket(width, ts): buckets of a fixed width counted from DuckDB's origin. */
    static final class Bucket extends Ev {
        private final long width;
        private final Ev ts;

        Bucket(long width, Ev ts) {
            super(SqlType.TIMESTAMP);
            this.width = width;
            this.ts = ts;
        }

        @Override
        long lng(Row r) {
            long v = ts.lng(r);
            return r.nul ? 0 : BUCKET_ORIGIN + Math.floorDiv(v - BUCKET_ORIGIN, width) * width;
        }
    }

    /** ts ± interval. */
    static final class Shift extends Ev {
        private final Ev ts;
        private final Ev interval;
        private final int sign;

        Shift(Ev ts, Ev interval, int sign) {
            super(SqlType.TIMESTAMP);
            this.ts = ts;
            this.interval = interval;
            this.sign = sign;
        }

        @Override
        long lng(Row r) {
            long v = ts.lng(r);
            if (r.nul) {
                return 0;
            }
            long d = interval.lng(r);
            return r.nul ? 0 : v + sign * d;
        }
    }
}
