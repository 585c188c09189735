package dev.mapreduce.engine.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * CAST and TRY_CAST, with DuckDB's rules: text to a number is trimmed and a decimal rounds half
 * away from zero; a value that does not convert is an error for CAST (the job fails, as the query
 * fails in DuckDB) and NULL for TRY_CAST.
 */
final class Casts {

    private Casts() {}

    /** Whether CAST from {@code from} to {@code to} exists. */
    static boolean allowed(SqlType from, SqlType to) {
        if (from == to || from == SqlType.NULL || to == SqlType.VARCHAR) {
            return from != SqlType.LIST && from != SqlType.INTERVAL;
        }
        return switch (to) {
            case BIGINT, DOUBLE -> from == SqlType.VARCHAR || from.numeric() || from == SqlType.BOOLEAN;
            case BOOLEAN -> from == SqlType.VARCHAR || from.numeric();
            case TIMESTAMP -> from == SqlType.VARCHAR;
            default -> false;
        };
    }

    static final class Cast extends Ev {
        private final Ev e;
        private final boolean orNull;
        private final boolean int32;
        private final int line;
        private final int column;
        private final Slice out = new Slice();

        Cast(Ev e, SqlType to, boolean int32, boolean orNull, int line, int column) {
            super(to);
            this.e = e;
            this.orNull = orNull;
            this.int32 = int32;
            this.line = line;
            this.column = column;
        }

        private QueryException fail(Object value) {
            return new QueryException(
                    "could not convert '" + value + "' to " + (int32 ? "INTEGER" : type), line, column);
        }

        @Override
        Slice str(Row r) {
            switch (e.type) {
                case VARCHAR:
                    return e.str(r);
                case NULL:
                    return null;
                default:
                    Object v = e.value(r);
                    if (v == null) {
                        return null;
                    }
                    String s =
                            switch (e.type) {
                                case TIMESTAMP -> Times.format((Long) v);
                                case DOUBLE -> formatDouble((Double) v);
                                default -> v.toString();
                            };
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    return out.set(b, 0, b.length);
            }
        }

        @Override
        long lng(Row r) {
            long v;
            switch (e.type) {
                case VARCHAR: {
                    Slice s = e.str(r);
                    if (s == null) {
                        r.nul = true;
                        return 0;
                    }
                    if (type == SqlType.TIMESTAMP) {
                        v = Times.parse(s.a, s.off, s.len);
                        if (v == Times.NOT_A_TIMESTAMP) {
                            return failed(r, s);
                        }
                        r.nul = false;
                        return v;
                    }
                    Long parsed = parseLong(s);
                    if (parsed == null) {
                        return failed(r, s);
                    }
                    v = parsed;
                    break;
                }
                case DOUBLE: {
                    double d = e.dbl(r);
                    if (r.nul) {
                        return 0;
                    }
                    double rounded = Math.signum(d) * Math.floor(Math.abs(d) + 0.5);
                    if (Double.isNaN(d) || rounded >= 0x1p63 || rounded < -0x1p63) {
                        return failed(r, d);
                    }
                    v = (long) rounded;
                    break;
                }
                case BOOLEAN: {
                    int b = e.bool(r);
                    r.nul = b == UNKNOWN;
                    v = b == TRUE ? 1 : 0;
                    break;
                }
                case NULL:
                    r.nul = true;
                    return 0;
                default:
                    v = e.lng(r);
                    if (r.nul) {
                        return 0;
                    }
            }
            if (int32 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
                return failed(r, v);
            }
            r.nul = false;
            return v;
        }

        private long failed(Row r, Object value) {
            if (!orNull) {
                throw fail(value);
            }
            r.nul = true;
            return 0;
        }

        @Override
        double dbl(Row r) {
            switch (e.type) {
                case VARCHAR: {
                    Slice s = e.str(r);
                    if (s == null) {
                        r.nul = true;
                        return 0;
                    }
                    try {
                        double d = Double.parseDouble(s.toString().strip());
                        r.nul = false;
                        return d;
                    } catch (NumberFormatException ex) {
                        failed(r, s);
                        return 0;
                    }
                }
                case BOOLEAN: {
                    int b = e.bool(r);
                    r.nul = b == UNKNOWN;
                    return b == TRUE ? 1 : 0;
                }
                case NULL:
                    r.nul = true;
                    return 0;
                case DOUBLE:
                    return e.dbl(r);
                default:
                    return (double) e.lng(r);
            }
        }

        @Override
        int bool(Row r) {
            switch (e.type) {
                case VARCHAR: {
                    Slice s = e.str(r);
                    if (s == null) {
                        return UNKNOWN;
                    }
                    switch (s.toString().strip().toLowerCase(java.util.Locale.ROOT)) {
                        case "true", "t", "1", "yes", "y", "on":
                            return TRUE;
                        case "false", "f", "0", "no", "n", "off":
                            return FALSE;
                        default:
                            failed(r, s);
                            return UNKNOWN;
                    }
                }
                case NULL:
                    return UNKNOWN;
                case BOOLEAN:
                    return e.bool(r);
                case DOUBLE: {
                    double d = e.dbl(r);
                    return r.nul ? UNKNOWN : d != 0 ? TRUE : FALSE;
                }
                default: {
                    long v = e.lng(r);
                    return r.nul ? UNKNOWN : v != 0 ? TRUE : FALSE;
                }
            }
        }
    }

    /** Text to BIGINT: an optional sign and digits, or a decimal rounded half away from zero; null if neither. */
    static Long parseLong(Slice s) {
        int i = s.off;
        int end = s.off + s.len;
        while (i < end && s.a[i] == ' ') {
            i++;
        }
        while (end > i && s.a[end - 1] == ' ') {
            end--;
        }
        if (i == end) {
            return null;
        }
        boolean negative = s.a[i] == '-';
        int start = s.a[i] == '-' || s.a[i] == '+' ? i + 1 : i;
        long v = 0;
        int j = start;
        for (; j < end; j++) {
            int d = s.a[j] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                if (!(negative && v == 922337203685477580L && d == 8 && j + 1 == end)) {
                    return null;
                }
                return Long.MIN_VALUE;
            }
            v = v * 10 + d;
        }
        if (j == end && j > start) {
            return negative ? -v : v;
        }
        try {
            BigDecimal d = new BigDecimal(new String(s.a, i, end - i, StandardCharsets.US_ASCII));
            return d.setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    static String formatDouble(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d) + ".0";
        }
        return Double.toString(d);
    }
}
