package dev.mapreduce.engine.sql;

/**
 * A parsed record as the query sees it: numbered slots of UTF-8 bytes, each present or absent
 * (SQL NULL). The slots are the columns the query uses, in the order {@link QueryPlan#fields()}
 * lists them.
 */
public interface FieldSource {

    byte[] array(int slot);

    int offset(int slot);

    /** The length of the slot's bytes, or -1 when the field is absent. */
    int length(int slot);
}
