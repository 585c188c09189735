package dev.mapreduce.engine.sql;

import dev.mapreduce.engine.shuffle.StateCodec;
import dev.mapreduce.engine.shuffle.StateOutput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;

/**
 * The aggregate functions of one query and the state of one group: a {@code long[]} of counts,
 * sums (doubles as their bits), minima and maxima, and an {@code Object[]} of what does not fit a
 * long (the smallest or largest string, HLL and KLL sketches). It is the query's
 * {@link StateCodec}: states are updated in place on the map side, encoded into the shuffle, and
 * merged by the combiner and the reducer. count(DISTINCT) has no state here: its values travel as
 * keys of their own (see {@link KeyCodec}).
 */
final class Aggregates implements StateCodec {

    /** HLL sketches: 2^12 buckets, relative standard error 1.04/sqrt(4096) = 1.6%. */
    static final int HLL_LG_K = 12;
    /** KLL sketches: k = 200, normalized rank error about 1.65% (99% confidence). */
    static final int KLL_K = 200;

    enum Kind {
        COUNT_STAR,
        COUNT,
        SUM,
        AVG,
        MIN,
        MAX,
        COUNT_DISTINCT,
        APPROX_COUNT_DISTINCT,
        APPROX_QUANTILE
    }

    /** One aggregate call: its kind, argument (null for count(*)), and where its state lives. */
    static final class Spec {
        final Kind kind;
        final Ev arg;
        final SqlType argType;
        final SqlType resultType;
        final double quantile;
        /** Index in {@code long[]} (or in {@code Object[]} for object states); for COUNT_DISTINCT, which distinct. */
        int slot;

        Spec(Kind kind, Ev arg, SqlType resultType, double quantile) {
            this.kind = kind;
            this.arg = arg;
            this.argType = arg == null ? null : arg.type;
            this.resultType = resultType;
            this.quantile = quantile;
        }

        boolean usesObject() {
            return kind == Kind.APPROX_COUNT_DISTINCT
                    || kind == Kind.APPROX_QUANTILE
                    || ((kind == Kind.MIN || kind == Kind.MAX) && argType == SqlType.VARCHAR);
        }

        int longs() {
            return switch (kind) {
                case COUNT_STAR, COUNT -> 1;
                case SUM, AVG, MIN, MAX -> usesObject() ? 0 : 2;
                default -> 0;
            };
        }
    }

    /** The state of one group. */
    static final class State {
        final long[] v;
        final Object[] o;

        State(int longs, int objects) {
            v = new long[longs];
            o = objects == 0 ? null : new Object[objects];
        }
    }

    /** The state of a count(DISTINCT) key: nothing to hold or merge. */
    static final State EMPTY = new State(0, 0);

    private final Spec[] specs;
    private final int longs;
    private final int objects;
    private final KeyCodec keys;
    private final StateOutput.Input in = new StateOutput.Input();

    Aggregates(List<Spec> specs, KeyCodec keys) {
        this.specs = specs.toArray(new Spec[0]);
        this.keys = keys;
        int l = 0;
        int o = 0;
        int d = 0;
        for (Spec s : this.specs) {
            if (s.kind == Kind.COUNT_DISTINCT) {
                s.slot = d++;
            } else if (s.usesObject()) {
                s.slot = o++;
            } else {
                s.slot = l;
                l += s.longs();
            }
        }
        this.longs = l;
        this.objects = o;
    }

    Spec[] specs() {
        return specs;
    }

    State newState() {
        return new State(longs, objects);
    }

    @Override
    public Object create(byte[] key, int off, int len) {
        return keys.isDistinctKey(key, off, len) ? EMPTY : newState();
    }

    @Override
    public int stateBytes() {
        return 16 + 8 * longs + (objects == 0 ? 0 : 16 + 64 * objects);
    }

    /** Folds the current row into {@code s}. */
    void accumulate(State s, Row r) {
        long[] v = s.v;
        for (Spec a : specs) {
            int i = a.slot;
            switch (a.kind) {
                case COUNT_STAR -> v[i]++;
                case COUNT -> {
                    if (!a.arg.isNull(r)) {
                        v[i]++;
                    }
                }
                case SUM, AVG -> {
                    if (a.argType == SqlType.DOUBLE) {
                        double x = a.arg.dbl(r);
                        if (!r.nul) {
                            v[i] = Double.doubleToRawLongBits(Double.longBitsToDouble(v[i]) + x);
                            v[i + 1]++;
                        }
                    } else {
                        long x = a.arg.lng(r);
                        if (!r.nul) {
                            v[i] = addExact(v[i], x);
                            v[i + 1]++;
                        }
                    }
                }
                case MIN, MAX -> accumulateExtreme(a, s, r);
                case APPROX_COUNT_DISTINCT -> {
                    long h = hash(a.arg, r);
                    if (!r.nul) {
                        Union u = (Union) s.o[i];
                        if (u == null) {
                            s.o[i] = u = new Union(HLL_LG_K);
                        }
                        u.update(h);
                    }
                }
                case APPROX_QUANTILE -> {
                    boolean doubles = a.argType == SqlType.DOUBLE;
                    double d = doubles ? a.arg.dbl(r) : 0;
                    long x = doubles ? 0 : a.arg.lng(r);
                    if (!r.nul) {
                        Quantiles q = (Quantiles) s.o[i];
                        if (q == null) {
                            s.o[i] = q = doubles ? Quantiles.ofDoubles() : Quantiles.ofLongs();
                        }
                        if (doubles) {
                            q.update(d);
                        } else {
                            q.update(x);
                        }
                    }
                }
                case COUNT_DISTINCT -> {}
            }
        }
    }

    private static long addExact(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new QueryException("integer overflow in sum", 0, 0);
        }
    }

    private void accumulateExtreme(Spec a, State s, Row r) {
        boolean max = a.kind == Kind.MAX;
        int i = a.slot;
        switch (a.argType) {
            case VARCHAR -> {
                Slice x = a.arg.str(r);
                if (x != null) {
                    byte[] cur = (byte[]) s.o[i];
                    int c = cur == null ? 0 : Arrays.compareUnsigned(x.a, x.off, x.off + x.len, cur, 0, cur.length);
                    if (cur == null || (max ? c > 0 : c < 0)) {
                        s.o[i] = Arrays.copyOfRange(x.a, x.off, x.off + x.len);
                    }
                }
            }
            case DOUBLE -> {
                double x = a.arg.dbl(r);
                if (!r.nul) {
                    foldDouble(s.v, i, x, max);
                }
            }
            case BOOLEAN -> {
                int b = a.arg.bool(r);
                if (b != Ev.UNKNOWN) {
                    foldLong(s.v, i, b, max);
                }
            }
            default -> {
                long x = a.arg.lng(r);
                if (!r.nul) {
                    foldLong(s.v, i, x, max);
                }
            }
        }
    }

    private static void foldLong(long[] v, int i, long x, boolean max) {
        if (v[i + 1] == 0 || (max ? x > v[i] : x < v[i])) {
            v[i] = x;
        }
        v[i + 1] = 1;
    }

    private static void foldDouble(long[] v, int i, double x, boolean max) {
        double cur = Double.longBitsToDouble(v[i]);
        if (v[i + 1] == 0 || (max ? Double.compare(x, cur) > 0 : Double.compare(x, cur) < 0)) {
            v[i] = Double.doubleToRawLongBits(x);
        }
        v[i + 1] = 1;
    }

    /** A 64-bit hash of the argument's value for HLL; sets {@code r.nul}. */
    private long hash(Ev arg, Row r) {
        switch (arg.type) {
            case VARCHAR -> {
                Slice s = arg.str(r);
                r.nul = s == null;
                return s == null ? 0 : KeyCodec.hash64(s.a, s.off, s.len);
            }
            case DOUBLE -> {
                double d = arg.dbl(r);
                return KeyCodec.mix64(Double.doubleToLongBits(d == 0 ? 0.0 : d));
            }
            case BOOLEAN -> {
                int b = arg.bool(r);
                r.nul = b == Ev.UNKNOWN;
                return KeyCodec.mix64(b);
            }
            default -> {
                return KeyCodec.mix64(arg.lng(r));
            }
        }
    }

    @Override
    public void encode(Object state, StateOutput out) {
        State s = (State) state;
        if (s == EMPTY) {
            return;
        }
        for (long x : s.v) {
            out.putVarLong(x);
        }
        for (Spec a : specs) {
            if (a.kind == Kind.COUNT_DISTINCT || !a.usesObject()) {
                continue;
            }
            Object o = s.o[a.slot];
            if (o == null) {
                out.putVarLong(0);
                continue;
            }
            out.putVarLong(1);
            byte[] b =
                    switch (a.kind) {
                        case APPROX_COUNT_DISTINCT -> ((Union) o).toCompactByteArray();
                        case APPROX_QUANTILE -> ((Quantiles) o).toByteArray();
                        default -> (byte[]) o;
                    };
            out.putBytes(b, 0, b.length);
        }
    }

    @Override
    public void merge(Object state, byte[] b, int off, int len) {
        State s = (State) state;
        if (s == EMPTY || len == 0) {
            return;
        }
        StateOutput.Input r = in.reset(b, off, len);
        long[] v = s.v;
        long[] other = new long[longs];
        for (int i = 0; i < longs; i++) {
            other[i] = r.varLong();
        }
        for (Spec a : specs) {
            int i = a.slot;
            switch (a.kind) {
                case COUNT_STAR, COUNT -> v[i] = addExact(v[i], other[i]);
                case SUM, AVG -> {
                    if (a.argType == SqlType.DOUBLE) {
                        v[i] = Double.doubleToRawLongBits(
                                Double.longBitsToDouble(v[i]) + Double.longBitsToDouble(other[i]));
                    } else {
                        v[i] = addExact(v[i], other[i]);
                    }
                    v[i + 1] += other[i + 1];
                }
                case MIN, MAX -> {
                    if (a.usesObject()) {
                        break;
                    }
                    if (other[i + 1] != 0) {
                        if (a.argType == SqlType.DOUBLE) {
                            foldDouble(v, i, Double.longBitsToDouble(other[i]), a.kind == Kind.MAX);
                        } else {
                            foldLong(v, i, other[i], a.kind == Kind.MAX);
                        }
                    }
                }
                default -> {}
            }
        }
        for (Spec a : specs) {
            if (a.kind == Kind.COUNT_DISTINCT || !a.usesObject()) {
                continue;
            }
            if (r.varLong() == 0) {
                continue;
            }
            int n = r.bytes();
            int at = r.at() - n;
            int i = a.slot;
            switch (a.kind) {
                case APPROX_COUNT_DISTINCT -> {
                    Union u = (Union) s.o[i];
                    if (u == null) {
                        s.o[i] = u = new Union(HLL_LG_K);
                    }
                    u.update(HllSketch.heapify(Memory.wrap(b).region(at, n)));
                }
                case APPROX_QUANTILE -> {
                    Memory m = Memory.wrap(b).region(at, n);
                    Quantiles q = (Quantiles) s.o[i];
                    if (q == null) {
                        s.o[i] = Quantiles.heapify(a.argType == SqlType.DOUBLE, m);
                    } else {
                        q.merge(m);
                    }
                }
                default -> {
                    byte[] cur = (byte[]) s.o[i];
                    int c = cur == null ? 0 : Arrays.compareUnsigned(b, at, at + n, cur, 0, cur.length);
                    if (cur == null || (a.kind == Kind.MAX ? c > 0 : c < 0)) {
                        s.o[i] = Arrays.copyOfRange(b, at, at + n);
                    }
                }
            }
        }
    }

    /** The result of aggregate {@code a} for a finished group; {@code distinct} holds the count(DISTINCT) counts. */
    Object result(Spec a, State s, long[] distinct) {
        long[] v = s.v;
        int i = a.slot;
        return switch (a.kind) {
            case COUNT_STAR, COUNT -> v[i];
            case COUNT_DISTINCT -> distinct[i];
            case SUM ->
                v[i + 1] == 0
                        ? null
                        : a.argType == SqlType.DOUBLE ? (Object) Double.longBitsToDouble(v[i]) : (Object) v[i];
            case AVG ->
                v[i + 1] == 0
                        ? null
                        : (a.argType == SqlType.DOUBLE ? Double.longBitsToDouble(v[i]) : (double) v[i]) / v[i + 1];
            case MIN, MAX -> {
                if (a.usesObject()) {
                    byte[] b = (byte[]) s.o[i];
                    yield b == null ? null : new String(b, StandardCharsets.UTF_8);
                }
                if (v[i + 1] == 0) {
                    yield null;
                }
                yield switch (a.argType) {
                    case DOUBLE -> Double.longBitsToDouble(v[i]);
                    case BOOLEAN -> v[i] != 0;
                    default -> v[i];
                };
            }
            case APPROX_COUNT_DISTINCT -> {
                Union u = (Union) s.o[i];
                yield u == null ? 0L : Math.round(u.getEstimate());
            }
            case APPROX_QUANTILE -> {
                Quantiles q = (Quantiles) s.o[i];
                yield q == null ? null : q.quantile(a.quantile);
            }
        };
    }
}
