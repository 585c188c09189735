package dev.mapreduce.engine.sql;

/**
 * What evaluators read: the current record's fields (map side) or the current group's values
 * (after aggregation), and the NULL flag a BIGINT, DOUBLE or TIMESTAMP evaluator sets beside the
 * value it returns. One per task; reused for every record.
 */
final class Row {

    /** The record being mapped. */
    FieldSource fields;
    /** Set by numeric and timestamp evaluators: whether the value just returned is NULL. */
    boolean nul;
    /** The element of unnest() being mapped. */
    Slice unnested;
    /**
     * Changes whenever the row holds something new (a record, an unnested word, a group), so an
     * evaluator can keep a result for the row it was computed on (see {@link Regex.Input}).
     */
    long seq;
    /** After aggregation: the group's key values, then its aggregate results (Long, Double, Boolean, String, null). */
    Object[] values;
}
