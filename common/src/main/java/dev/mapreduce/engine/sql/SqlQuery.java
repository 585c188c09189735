package dev.mapreduce.engine.sql;

import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.partition.Partitioner;
import dev.mapreduce.engine.shuffle.StateCodec;
import dev.mapreduce.engine.shuffle.StateEmitter;
import dev.mapreduce.engine.shuffle.StateSink;
import dev.mapreduce.engine.task.LineMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.validate.SqlConformanceEnum;

/**
 * A SQL query over the table {@code logs}, validated: {@link #parse} rejects what cannot run
 * with a {@link QueryException} naming the construct and its position. Each task then
 * {@link #compile}s it into its own evaluators (see {@link Task}), which run the query on the
 * engine: the map side folds each record into the aggregate states of its group, the combiner
 * and the reducer merge states, and the reducer turns each group into a row.
 */
public final class SqlQuery {

    /** Longest query text accepted, in characters. */
    public static final int MAX_LENGTH = 100_000;

    private final String sql;
    private final QuerySchema schema;
    private final SqlText text;
    /** The parsed query: parsed once, planned again for each task (the planner only reads it). */
    private final SqlNode root;

    private final List<ResultColumn> columns;
    private final List<String> fields;
    private final boolean ordered;
    private final long limit;
    private final long offset;

    private SqlQuery(String sql, QuerySchema schema, SqlText text, SqlNode root) {
        this.sql = sql;
        this.schema = schema;
        this.text = text;
        this.root = root;
        CompiledQuery plan = plan(text, root, schema);
        List<ResultColumn> cols = new ArrayList<>();
        for (int i = 0; i < plan.names.length; i++) {
            cols.add(new ResultColumn(plan.names[i], plan.types[i]));
        }
        this.columns = List.copyOf(cols);
        this.fields = plan.fields;
        this.ordered = plan.orderBy.length > 0;
        this.limit = plan.limit;
        this.offset = plan.offset;
    }

    /** Whether the query has an ORDER BY. */
    public boolean ordered() {
        return ordered;
    }

    /** The query's LIMIT, or -1 without one. */
    public long limit() {
        return limit;
    }

    /** The query's OFFSET (0 without one). */
    public long offset() {
        return offset;
    }

    /**
     * Parses and validates {@code sql} against {@code schema}.
     *
     * @throws QueryException if the query cannot run, with the position of what is wrong
     */
    public static SqlQuery parse(String sql, QuerySchema schema) {
        SqlText text = checkedText(sql);
        return new SqlQuery(sql, schema, text, parse(text));
    }

    private static SqlText checkedText(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new QueryException("the query is empty", 0, 0);
        }
        if (sql.length() > MAX_LENGTH) {
            int[] at = SqlText.positionOf(sql, MAX_LENGTH);
            throw new QueryException(
                    "the query is longer than " + MAX_LENGTH + " characters (" + sql.length() + ")", at[0], at[1]);
        }
        return SqlText.of(sql);
    }

    private static SqlNode parse(SqlText text) {
        try {
            return SqlParser.create(text.text, parserConfig()).parseQuery();
        } catch (SqlParseException e) {
            int[] at = e.getPos() == null
                    ? new int[] {0, 0}
                    : text.position(e.getPos().getLineNum(), e.getPos().getColumnNum());
            throw new QueryException("syntax error: " + firstLine(e.getMessage()), at[0], at[1]);
        } catch (RuntimeException | StackOverflowError e) {
            throw new QueryException(
                    "syntax error: the query cannot be parsed (" + e.getClass().getSimpleName() + ")", 0, 0);
        }
    }

    private static CompiledQuery plan(SqlText text, SqlNode root, QuerySchema schema) {
        try {
            return new Planner(text, schema).plan(root);
        } catch (StackOverflowError e) {
            throw new QueryException("the query nests expressions too deeply", 0, 0);
        }
    }

    private static String firstLine(String message) {
        String first = message == null ? "" : message.split("\n", 2)[0];
        // Calcite's "Encountered "x" at line 1, column 8." names the position we report anyway
        return first.replaceAll(" at line \\d+, column \\d+\\.?", "").strip();
    }

    static SqlParser.Config parserConfig() {
        return SqlParser.config()
                .withParserFactory(SqlBabelParserImpl.FACTORY)
                .withQuoting(Quoting.DOUBLE_QUOTE)
                .withUnquotedCasing(Casing.TO_LOWER)
                .withQuotedCasing(Casing.UNCHANGED)
                .withCaseSensitive(false)
                .withConformance(SqlConformanceEnum.BABEL);
    }

    public String sql() {
        return sql;
    }

    /** The table the query reads: its format's fields. */
    public QuerySchema schema() {
        return schema;
    }

    public List<ResultColumn> columns() {
        return columns;
    }

    /** The record fields the query reads, in slot order (what a {@link RecordReader} must provide). */
    public List<String> fields() {
        return fields;
    }

    /**
     * This query's evaluators for one task (one thread). Only planned again, not parsed (parsing
     * was two thirds of the 3-4 ms this took, once per map and reduce task); one task at a time
     * reads the parsed query.
     */
    public Task compile() {
        synchronized (root) {
            return new Task(plan(text, root, schema));
        }
    }

    /** One task's compiled query: its map side, its state codec and partitioner, its reduce side. */
    public static final class Task {

        private final CompiledQuery q;

        private Task(CompiledQuery q) {
            this.q = q;
        }

        public StateCodec codec() {
            return q.aggregates;
        }

        /** murmur3_32 of the group part of a key (the whole key without count(DISTINCT)). */
        public Partitioner partitioner() {
            return q.keyCodec;
        }

        /** The map side over lines that {@code reader} parses. */
        public LineMapper mapper(RecordReader reader) {
            return new Mapper(q, reader);
        }

        /** The reduce side: takes a partition's merged states in key order, gives its rows to {@code rows}. */
        public Reducer reducer(Consumer<QueryRow> rows) {
            return new Reducer(q, rows);
        }

        /** Collects the rows of every partition and applies ORDER BY, OFFSET and LIMIT. */
        public ResultCollector collector() {
            return new ResultCollector(q.descending, q.nullsFirst, q.limit, q.offset);
        }

        /**
         * The row's ORDER BY values as bytes that compare (unsigned, byte by byte, as PostgreSQL's
         * {@code bytea}) as the query orders rows; null for a query without ORDER BY.
         */
        public byte[] orderKey(QueryRow row) {
            return q.orderBy.length == 0 ? null : OrderKey.of(row.order(), q.descending, q.nullsFirst);
        }

        /**
         * The row's group key values as text ({@link ResultColumn#text}), joined by a tab; a NULL
         * key is empty; {@code ""} for a query without GROUP BY.
         */
        public String keyText(QueryRow row) {
            StringBuilder text = new StringBuilder();
            Object[] keys = row.keys();
            for (int i = 0; i < keys.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                if (keys[i] != null) {
                    text.append(new ResultColumn("", q.keyTypes[i]).text(keys[i]));
                }
            }
            return text.toString();
        }

        /** Whether the query aggregates without GROUP BY: it has one row even for no input. */
        public boolean global() {
            return q.global;
        }
    }

    private static final class Mapper implements LineMapper, Runnable {
        private final CompiledQuery q;
        private final RecordReader reader;
        private final Row row = new Row();
        private final KeyCodec keys;
        private StateEmitter out;

        Mapper(CompiledQuery q, RecordReader reader) {
            this.q = q;
            this.reader = reader;
            this.keys = q.keyCodec;
        }

        @Override
        public EventStart eventStart() {
            return reader.eventStart();
        }

        @Override
        public boolean hasHeader() {
            return reader.hasHeader();
        }

        @Override
        public void header(byte[] line, int off, int len) {
            reader.header(line, off, len);
        }

        @Override
        public boolean map(byte[] line, int off, int len, StateEmitter out) {
            FieldSource f = reader.read(line, off, len);
            if (f == null) {
                return false;
            }
            row.fields = f;
            row.seq++;
            if (q.filter != null && q.filter.bool(row) != Ev.TRUE) {
                return true;
            }
            this.out = out;
            if (q.unnest != null) {
                q.unnest.forEach(row, this);
            } else {
                run();
            }
            return true;
        }

        /** Folds the current row into its group. */
        @Override
        public void run() {
            if (q.outerFilter != null && q.outerFilter.bool(row) != Ev.TRUE) {
                return;
            }
            keys.reset();
            for (Ev k : q.keys) {
                keys.put(k, row);
            }
            int group = keys.length();
            if (keys.hasDistinct()) {
                keys.putTag(0);
            }
            Aggregates.State s = (Aggregates.State) out.state(keys.bytes(), 0, keys.length());
            q.aggregates.accumulate(s, row);
            for (int d = 0; d < q.distinct.length; d++) {
                keys.truncate(group);
                keys.putTag(d + 1);
                keys.put(q.distinct[d].arg, row);
                if (keys.bytes()[group + 1] != KeyCodec.NULL) {
                    out.add(keys.bytes(), 0, keys.length());
                }
            }
        }
    }

    /**
     * Turns a partition's merged (key, state) entries into rows. With count(DISTINCT), a group's
     * entries arrive together (its state, then each distinct value once) and are counted as they
     * stream by.
     */
    public static final class Reducer implements StateSink {
        private final CompiledQuery q;
        private final Consumer<QueryRow> rows;
        private final Row row = new Row();
        private final long[] distinctCounts;
        private byte[] group = new byte[64];
        private int groupLength = -1;
        private Aggregates.State state;
        private long groups;

        Reducer(CompiledQuery q, Consumer<QueryRow> rows) {
            this.q = q;
            this.rows = rows;
            this.distinctCounts = new long[q.distinct.length];
            row.values = new Object[q.keys.length + q.aggregates.specs().length];
        }

        @Override
        public void accept(byte[] key, int len, Object st) {
            if (!q.keyCodec.hasDistinct()) {
                groups++;
                emit(key, (Aggregates.State) st, distinctCounts);
                return;
            }
            int g = q.keyCodec.groupLength(key, 0, len);
            if (g != groupLength || !Arrays.equals(group, 0, g, key, 0, g)) {
                flush();
                if (g > group.length) {
                    group = Arrays.copyOf(group, Math.max(g, group.length * 2));
                }
                System.arraycopy(key, 0, group, 0, g);
                groupLength = g;
                state = null;
                Arrays.fill(distinctCounts, 0);
            }
            if (key[g] == 0) {
                state = (Aggregates.State) st;
            } else {
                distinctCounts[key[g] - 1]++;
            }
        }

        /**
         * Ends the partition. {@code holdsEmptyGroup}: this partition is the one the key of a query
         * without GROUP BY goes to, so it gives that query's one row even when nothing was read.
         */
        public void finish(boolean holdsEmptyGroup) {
            flush();
            if (q.global && holdsEmptyGroup && groups == 0) {
                emit(new byte[0], q.aggregates.newState(), new long[q.distinct.length]);
            }
        }

        /** Groups this reducer finished. */
        public long groups() {
            return groups;
        }

        private void flush() {
            if (groupLength < 0) {
                return;
            }
            groups++;
            emit(group, state == null ? q.aggregates.newState() : state, distinctCounts);
            groupLength = -1;
        }

        private void emit(byte[] key, Aggregates.State s, long[] distinct) {
            Object[] values = row.values;
            row.seq++;
            q.keyCodec.decode(key, 0, q.keyTypes, values);
            Aggregates.Spec[] specs = q.aggregates.specs();
            for (int j = 0; j < specs.length; j++) {
                values[q.keys.length + j] = q.aggregates.result(specs[j], s, distinct);
            }
            if (q.having != null && q.having.bool(row) != Ev.TRUE) {
                return;
            }
            Object[] out = new Object[q.outputs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = q.outputs[i].value(row);
            }
            Object[] order = new Object[q.orderBy.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = q.orderBy[i].value(row);
            }
            Object[] keys = Arrays.copyOf(values, q.keys.length);
            long copies = q.projection ? (Long) values[q.keys.length] : 1;
            for (long c = 0; c < copies; c++) {
                rows.accept(new QueryRow(out, order, keys));
            }
        }
    }
}
