package dev.mapreduce.engine.sql;

import java.util.List;

/** Comparisons, logic, arithmetic, NULL tests, CASE and COALESCE, with SQL's NULL rules. */
final class Ops {

    private Ops() {}

    enum Cmp {
        EQ,
        NE,
        LT,
        LE,
        GT,
        GE;

        boolean test(int c) {
            return switch (this) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }
    }

    /** {@code l op r} over two values of one orderable type (BIGINT against DOUBLE compares as DOUBLE). */
    static final class Compare extends Ev {
        private static final int NULL = Integer.MIN_VALUE;
        private final Cmp op;
        private final Ev l;
        private final Ev r;
        private final SqlType mode;

        Compare(Cmp op, Ev l, Ev r) {
            super(SqlType.BOOLEAN);
            this.op = op;
            this.l = l;
            this.r = r;
            this.mode = l.type == r.type ? l.type : SqlType.DOUBLE;
        }

        @Override
        int bool(Row row) {
            int c = compare(row);
            return c == NULL ? UNKNOWN : op.test(c) ? TRUE : FALSE;
        }

        private int compare(Row row) {
            switch (mode) {
                case VARCHAR: {
                    Slice a = l.str(row);
                    if (a == null) {
                        return NULL;
                    }
                    Slice b = r.str(row);
                    if (b == null) {
                        return NULL;
                    }
                    if (op == Cmp.EQ || op == Cmp.NE) {
                        return Slice.equal(a, b) ? 0 : 1;
                    }
                    return Slice.compare(a, b);
                }
                case DOUBLE: {
                    double a = l.dbl(row);
                    if (row.nul) {
                        return NULL;
                    }
                    double b = r.dbl(row);
                    return row.nul ? NULL : Double.compare(a == 0 ? 0.0 : a, b == 0 ? 0.0 : b);
                }
                case BOOLEAN: {
                    int a = l.bool(row);
                    int b = a == UNKNOWN ? UNKNOWN : r.bool(row);
                    return b == UNKNOWN ? NULL : Integer.compare(a, b);
                }
                default: {
                    long a = l.lng(row);
                    if (row.nul) {
                        return NULL;
                    }
                    long b = r.lng(row);
                    return row.nul ? NULL : Long.compare(a, b);
                }
            }
        }
    }

    static final class And extends Ev {
        private final Ev[] parts;

        And(List<Ev> parts) {
            super(SqlType.BOOLEAN);
            this.parts = parts.toArray(new Ev[0]);
        }

        @Override
        int bool(Row r) {
            int result = TRUE;
            for (Ev p : parts) {
                int v = p.bool(r);
                if (v == FALSE) {
                    return FALSE;
                }
                if (v == UNKNOWN) {
                    result = UNKNOWN;
                }
            }
            return result;
        }
    }

    static final class Or extends Ev {
        private final Ev[] parts;

        Or(List<Ev> parts) {
            super(SqlType.BOOLEAN);
            this.parts = parts.toArray(new Ev[0]);
        }

        @Override
        int bool(Row r) {
            int result = FALSE;
            for (Ev p : parts) {
                int v = p.bool(r);
                if (v == TRUE) {
                    return TRUE;
                }
                if (v == UNKNOWN) {
                    result = UNKNOWN;
                }
            }
            return result;
        }
    }

    static final class Not extends Ev {
        private final Ev e;

        Not(Ev e) {
            super(SqlType.BOOLEAN);
            this.e = e;
        }

        @Override
        int bool(Row r) {
            int v = e.bool(r);
            return v == UNKNOWN ? UNKNOWN : 1 - v;
        }
    }

    static final class IsNull extends Ev {
        private final Ev e;
        private final boolean negate;

        IsNull(Ev e, boolean negate) {
            super(SqlType.BOOLEAN);
            this.e = e;
            this.negate = negate;
        }

        @Override
        int bool(Row r) {
            return e.isNull(r) != negate ? TRUE : FALSE;
        }
    }

    enum Arith {
        ADD,
        SUB,
        MUL,
        DIV,
        INT_DIV,
        MOD
    }

    /** Integer arithmetic: overflow is an error, division by zero is NULL (as in DuckDB). */
    static final class LongArith extends Ev {
        private final Arith op;
        private final Ev l;
        private final Ev r;

        LongArith(Arith op, Ev l, Ev r, SqlType type) {
            super(type);
            this.op = op;
            this.l = l;
            this.r = r;
        }

        @Override
        long lng(Row row) {
            long a = l.lng(row);
            if (row.nul) {
                return 0;
            }
            long b = r.lng(row);
            if (row.nul) {
                return 0;
            }
            try {
                switch (op) {
                    case ADD:
                        return Math.addExact(a, b);
                    case SUB:
                        return Math.subtractExact(a, b);
                    case MUL:
                        return Math.multiplyExact(a, b);
                    case INT_DIV:
                        if (b == 0) {
                            row.nul = true;
                            return 0;
                        }
                        return a / b;
                    default:
                        if (b == 0) {
                            row.nul = true;
                            return 0;
                        }
                        return a % b;
                }
            } catch (ArithmeticException e) {
                throw new QueryException(
                        "integer overflow in " + op.name().toLowerCase() + " of " + a + " and " + b, 0, 0);
            }
        }
    }

    static final class DoubleArith extends Ev {
        private final Arith op;
        private final Ev l;
        private final Ev r;

        DoubleArith(Arith op, Ev l, Ev r) {
            super(SqlType.DOUBLE);
            this.op = op;
            this.l = l;
            this.r = r;
        }

        @Override
        double dbl(Row row) {
            double a = l.dbl(row);
            if (row.nul) {
                return 0;
            }
            double b = r.dbl(row);
            if (row.nul) {
                return 0;
            }
            switch (op) {
                case ADD:
                    return a + b;
                case SUB:
                    return a - b;
                case MUL:
                    return a * b;
                case DIV:
                    if (b == 0) {
                        row.nul = true;
                        return 0;
                    }
                    return a / b;
                default:
                    if (b == 0) {
                        row.nul = true;
                        return 0;
                    }
                    return a % b;
            }
        }

        @Override
        long lng(Row r) {
            throw new IllegalStateException("DOUBLE read as BIGINT");
        }
    }

    static final class Negate extends Ev {
        private final Ev e;

        Negate(Ev e) {
            super(e.type);
            this.e = e;
        }

        @Override
        long lng(Row r) {
            long v = e.lng(r);
            if (v == Long.MIN_VALUE && !r.nul) {
                throw new QueryException("integer overflow in negation", 0, 0);
            }
            return -v;
        }

        @Override
        double dbl(Row r) {
            return -e.dbl(r);
        }
    }

    /** CASE WHEN c1 THEN v1 ... ELSE e END (a missing ELSE is NULL); also COALESCE and NULLIF. */
    static final class Case extends Ev {
        private final Ev[] conditions;
        private final Ev[] values;
        private final Ev otherwise;

        Case(SqlType type, List<Ev> conditions, List<Ev> values, Ev otherwise) {
            super(type);
            this.conditions = conditions.toArray(new Ev[0]);
            this.values = values.toArray(new Ev[0]);
            this.otherwise = otherwise;
        }

        private Ev pick(Row r) {
            for (int i = 0; i < conditions.length; i++) {
                if (conditions[i].bool(r) == TRUE) {
                    return values[i];
                }
            }
            return otherwise;
        }

        @Override
        Slice str(Row r) {
            return pick(r).str(r);
        }

        @Override
        long lng(Row r) {
            return pick(r).lng(r);
        }

        @Override
        double dbl(Row r) {
            return pick(r).dbl(r);
        }

        @Override
        int bool(Row r) {
            return pick(r).bool(r);
        }
    }

    /** The first argument that is not NULL. */
    static final class Coalesce extends Ev {
        private final Ev[] args;

        Coalesce(SqlType type, List<Ev> args) {
            super(type);
            this.args = args.toArray(new Ev[0]);
        }

        @Override
        Slice str(Row r) {
            for (Ev a : args) {
                Slice s = a.str(r);
                if (s != null) {
                    return s;
                }
            }
            return null;
        }

        @Override
        long lng(Row r) {
            for (Ev a : args) {
                long v = a.lng(r);
                if (!r.nul) {
                    return v;
                }
            }
            return 0;
        }

        @Override
        double dbl(Row r) {
            for (Ev a : args) {
                double v = a.dbl(r);
                if (!r.nul) {
                    return v;
                }
            }
            return 0;
        }

        @Override
        int bool(Row r) {
            for (Ev a : args) {
                int v = a.bool(r);
                if (v != UNKNOWN) {
                    return v;
                }
            }
            return UNKNOWN;
        }
    }

    /** A value of one numeric type read as another: BIGINT as DOUBLE, or the NULL literal as any type. */
    static final class Widen extends Ev {
        private final Ev e;

        Widen(Ev e, SqlType type) {
            super(type);
            this.e = e;
        }

        @Override
        double dbl(Row r) {
            return e.type == SqlType.DOUBLE ? e.dbl(r) : e.type == SqlType.NULL ? nul(r) : (double) e.lng(r);
        }

        @Override
        long lng(Row r) {
            return e.type == SqlType.NULL ? (long) nul(r) : e.lng(r);
        }

        @Override
        Slice str(Row r) {
            return e.type == SqlType.NULL ? null : e.str(r);
        }

        @Override
        int bool(Row r) {
            return e.type == SqlType.NULL ? UNKNOWN : e.bool(r);
        }

        private static double nul(Row r) {
            r.nul = true;
            return 0;
        }
    }
}
