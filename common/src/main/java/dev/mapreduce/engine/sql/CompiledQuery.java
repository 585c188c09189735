package dev.mapreduce.engine.sql;

import java.util.List;

/**
 * One task's compiled query: the evaluators of the map side (filters, unnest, group keys,
 * aggregate arguments) and of the reduce side (output columns, HAVING, ORDER BY over a group's
 * values). Built by {@link Planner}; used by one thread.
 */
final class CompiledQuery {

    /** Record fields the query reads, by slot. */
    List<String> fields;
    /** WHERE on the record (in a query over a subquery, the subquery's WHERE). */
    Ev filter;
    /** WHERE of the outer query, evaluated per unnested row. */
    Ev outerFilter;
    /** unnest(tokenize(...)), or null. */
    Tokenize unnest;

    Ev[] keys;
    SqlType[] keyTypes;
    Aggregates aggregates;
    /** count(DISTINCT) calls, in the order of their key tags. */
    Aggregates.Spec[] distinct;

    KeyCodec keyCodec;

    String[] names;
    SqlType[] types;
    /** Output columns over a group's values (its keys, then its aggregate results). */
    Ev[] outputs;

    Ev having;
    Ev[] orderBy;
    boolean[] descending;
    boolean[] nullsFirst;
    long limit = -1;
    long offset;
    /** A query without aggregates: rows are groups of equal rows, output as often as the hidden count says. */
    boolean projection;
    /** No GROUP BY but aggregates: one row even for no input. */
    boolean global;
}
