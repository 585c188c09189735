package dev.mapreduce.engine.sql;

import java.nio.charset.StandardCharsets;

/**
 * A compiled expression: built once per task from the query, then run for every record without
 * looking at the query again. Each evaluator implements the method of its type: {@link #str}
 * (VARCHAR, {@code null} for NULL), {@link #lng} (BIGINT, TIMESTAMP, INTERVAL), {@link #dbl}
 * (DOUBLE), {@link #bool} (BOOLEAN, three-valued); the numeric ones set {@link Row#nul}.
 * Evaluators keep scratch state, so one task's tree is used by one thread.
 */
abstract class Ev {

    static final int FALSE = 0;
    static final int TRUE = 1;
    static final int UNKNOWN = -1;

    final SqlType type;

    Ev(SqlType type) {
        this.type = type;
    }

    Slice str(Row r) {
        throw new IllegalStateException(getClass().getSimpleName() + " is not VARCHAR");
    }

    long lng(Row r) {
        throw new IllegalStateException(getClass().getSimpleName() + " is not BIGINT");
    }

    double dbl(Row r) {
        long v = lng(r);
        return (double) v;
    }

    int bool(Row r) {
        throw new IllegalStateException(getClass().getSimpleName() + " is not BOOLEAN");
    }

    /** Whether the value does not depend on the record (literals and what is made of them only). */
    boolean constant() {
        return false;
    }

    /** The value boxed: String, Long (BIGINT, TIMESTAMP micros, INTERVAL micros), Double, Boolean, or null. */
    Object value(Row r) {
        switch (type) {
            case VARCHAR: {
                Slice s = str(r);
                return s == null ? null : new String(s.a, s.off, s.len, StandardCharsets.UTF_8);
            }
            case BIGINT:
            case TIMESTAMP:
            case INTERVAL: {
                long v = lng(r);
                return r.nul ? null : v;
            }
            case DOUBLE: {
                double v = dbl(r);
                return r.nul ? null : v;
            }
            case BOOLEAN: {
                int b = bool(r);
                return b == UNKNOWN ? null : b == TRUE;
            }
            case NULL:
                return null;
            default:
                throw new IllegalStateException("no value of type " + type);
        }
    }

    /** Whether the value is NULL; evaluates it. */
    boolean isNull(Row r) {
        switch (type) {
            case VARCHAR:
                return str(r) == null;
            case BOOLEAN:
                return bool(r) == UNKNOWN;
            case NULL:
                return true;
            case DOUBLE:
                dbl(r);
                return r.nul;
            default:
                lng(r);
                return r.nul;
        }
    }

    /** A constant of the given type from a boxed value (as {@link #value} returns). */
    static Ev literal(SqlType type, Object v) {
        return new Literal(type, v);
    }

    static final class Literal extends Ev {
        final Object v;
        private final Slice slice;

        Literal(SqlType type, Object v) {
            super(type);
            this.v = v;
            this.slice = v instanceof String s ? Slice.of(s) : null;
        }

        @Override
        boolean constant() {
            return true;
        }

        @Override
        Slice str(Row r) {
            return slice;
        }

        @Override
        long lng(Row r) {
            r.nul = v == null;
            return v == null ? 0 : ((Number) v).longValue();
        }

        @Override
        double dbl(Row r) {
            r.nul = v == null;
            return v == null ? 0 : ((Number) v).doubleValue();
        }

        @Override
        int bool(Row r) {
            return v == null ? UNKNOWN : (Boolean) v ? TRUE : FALSE;
        }
    }

    /** A VARCHAR field of the record. */
    static final class Field extends Ev {
        private final int slot;
        private final Slice out = new Slice();

        Field(int slot) {
            super(SqlType.VARCHAR);
            this.slot = slot;
        }

        @Override
        Slice str(Row r) {
            FieldSource f = r.fields;
            int len = f.length(slot);
            return len < 0 ? null : out.set(f.array(slot), f.offset(slot), len);
        }
    }

    /** The element of unnest() the current row holds. */
    static final class Unnested extends Ev {
        Unnested() {
            super(SqlType.VARCHAR);
        }

        @Override
        Slice str(Row r) {
            return r.unnested;
        }
    }

    /** After aggregation: a group key or aggregate result of the current group. */
    static final class Value extends Ev {
        private final int index;
        private final Slice out = new Slice();

        Value(int index, SqlType type) {
            super(type);
            this.index = index;
        }

        @Override
        Slice str(Row r) {
            Object v = r.values[index];
            if (v == null) {
                return null;
            }
            byte[] b = ((String) v).getBytes(StandardCharsets.UTF_8);
            return out.set(b, 0, b.length);
        }

        @Override
        long lng(Row r) {
            Object v = r.values[index];
            r.nul = v == null;
            return v == null ? 0 : ((Number) v).longValue();
        }

        @Override
        double dbl(Row r) {
            Object v = r.values[index];
            r.nul = v == null;
            return v == null ? 0 : ((Number) v).doubleValue();
        }

        @Override
        int bool(Row r) {
            Object v = r.values[index];
            return v == null ? UNKNOWN : (Boolean) v ? TRUE : FALSE;
        }

        @Override
        Object value(Row r) {
            return r.values[index];
        }
    }
}
