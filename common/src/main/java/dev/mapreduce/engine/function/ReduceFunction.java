package dev.mapreduce.engine.function;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the values of one key are folded into its result. Values travel as partials of two longs
 * {@code (a, b)}: the combiner and the reducer merge partials, and only {@link #result} turns a
 * partial into the output value, so combining on the map side never changes a result (AVG keeps
 * {@code (sum, count)}, never an average of averages). Sums overflow with an error, never wrap.
 */
public enum ReduceFunction {
    SUM("sum of the values"),
    COUNT("number of values"),
    MIN("smallest value"),
    MAX("largest value"),
    AVG("mean of the values, exact to 6 decimal places (half-even)");

    /** Decimal places of an AVG result. */
    public static final int AVG_SCALE = 6;

    private final String description;

    ReduceFunction(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Whether the partial uses its second long ({@code b}, the count of AVG). */
    public boolean usesCount() {
        return this == AVG;
    }

    /** The {@code a} of the partial of a single map output value. */
    public long first(long value) {
        return this == COUNT ? 1 : value;
    }

    /** The {@code b} of the partial of a single map output value. */
    public long firstCount() {
        return this == AVG ? 1 : 0;
    }

    /** Merges the {@code a} parts of two partials. */
    public long merge(long a1, long a2) {
        return switch (this) {
            case SUM, COUNT, AVG -> Math.addExact(a1, a2);
            case MIN -> Math.min(a1, a2);
            case MAX -> Math.max(a1, a2);
        };
    }

    /** Merges the {@code b} parts of two partials. */
    public long mergeCount(long b1, long b2) {
        return this == AVG ? Math.addExact(b1, b2) : 0;
    }

    /** The output value of a finished partial, as decimal text (an integer except for AVG). */
    public String result(long a, long b) {
        if (this != AVG) {
            return Long.toString(a);
        }
        return BigDecimal.valueOf(a)
                .divide(BigDecimal.valueOf(b), AVG_SCALE, RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString();
    }
}
