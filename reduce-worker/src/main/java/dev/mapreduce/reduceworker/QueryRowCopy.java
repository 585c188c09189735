package dev.mapreduce.reduceworker;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.sql.QueryRow;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.ResultCollector;
import dev.mapreduce.engine.sql.ResultColumn;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.ReduceTask;
import dev.mapreduce.engine.task.TaskCounters;
import dev.mapreduce.protocol.QueryResults;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.Cancellation;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A query job's reduce into PostgreSQL: the query, compiled for this attempt, merges the
 * partition's aggregate states into rows, which go into {@code results} by
 * {@code COPY ... FROM STDIN} with their named columns ({@link QueryResults}): {@code result_key}
 * the group key values, {@code result_value} the first numeric column, {@code result_row} the
 * columns as JSON, {@code result_ord} the ORDER BY values as bytes that sort as the query sorts.
 * With a LIMIT the partition keeps only its top {@code offset + limit} rows (the coordinator keeps
 * the job's top rows of all partitions when the job completes); without one the rows stream out as
 * they are made. The partition the empty key maps to answers a query without GROUP BY even when
 * it read nothing.
 */
final class QueryRowCopy implements Consumer<QueryRow> {

    private static final String COPY_RESULTS =
            "COPY results (job_id, result_key, result_value, result_row, result_ord) FROM STDIN";

    private final CopyIn copy;
    private final SqlQuery.Task query;
    private final List<ResultColumn> columns;
    private final List<String> keys;
    private final String jobPrefix;
    private final Cancellation cancellation;
    private final StringBuilder buffer = new StringBuilder(CopyRows.BUFFER_BYTES);
    private long rows;

    private QueryRowCopy(
            CopyIn copy, SqlQuery.Task query, List<ResultColumn> columns, String jobId, Cancellation cancellation) {
        this.copy = copy;
        this.query = query;
        this.columns = columns;
        this.keys = QueryResults.keys(columns);
        this.jobPrefix = jobId + "\t";
        this.cancellation = cancellation;
    }

    /** Reduces the task's runs into {@code results} within the connection's transaction; counts its rows. */
    static TaskCounters copy(Connection connection, TaskMessage task, List<RunReader> runs, Cancellation cancellation)
            throws SQLException {
        FormatSpec format = task.formatOrDefault();
        SqlQuery sql = SqlQuery.parse(task.query(), QuerySchema.of(Formats.compile(format)));
        SqlQuery.Task query = sql.compile();
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_RESULTS);
        boolean copied = false;
        try {
            QueryRowCopy out =
                    new QueryRowCopy(copy, query, sql.columns(), task.jobId().toString(), cancellation);
            ResultCollector top = sql.limit() >= 0 ? query.collector() : null;
            SqlQuery.Reducer reducer = query.reducer(top == null ? out : top::add);
            TaskCounters merged = new ReduceTask(query.codec()).runStates(runs, reducer);
            int emptyGroupPartition =
                    query.global() ? query.partitioner().partition(new byte[0], 0, 0, task.numReducers()) : -1;
            reducer.finish(task.taskIndex() == emptyGroupPartition);
            if (top != null) {
                // this partition's top rows, with OFFSET's rows too: they may be among the job's top rows
                top.top().forEach(out);
            }
            out.flush();
            long rowCount = copy.endCopy();
            copied = true;
            if (rowCount != out.rows) {
                throw new IllegalStateException(
                        "PostgreSQL copied " + rowCount + " rows, the reduce produced " + out.rows);
            }
            TaskCounters counters = new TaskCounters(0);
            counters.addReduceInput(merged.reduceInputRecords());
            counters.addOutput(out.rows);
            return counters;
        } catch (CopyRows.CopyFailedException e) {
            throw e.getCause();
        } finally {
            if (!copied) {
                ResultCommitter.cancelQuietly(copy);
            }
        }
    }

    @Override
    public void accept(QueryRow row) {
        if (rows % CopyRows.CANCEL_CHECK_ROWS == 0) {
            cancellation.throwIfCancelled();
        }
        buffer.append(jobPrefix);
        text(query.keyText(row));
        buffer.append('\t');
        Number value = QueryResults.resultValue(columns, row.values());
        buffer.append(value == null ? "\\N" : value.toString());
        buffer.append('\t');
        text(QueryResults.json(columns, keys, row.values()));
        buffer.append('\t');
        byte[] order = query.orderKey(row);
        if (order == null) {
            buffer.append("\\N");
        } else {
            // bytea in hex, its backslash escaped for COPY's text format
            buffer.append("\\\\x").append(HexFormat.of().formatHex(order));
        }
        buffer.append('\n');
        rows++;
        if (buffer.length() >= CopyRows.BUFFER_BYTES) {
            flush();
        }
    }

    /** COPY text format escapes; PostgreSQL text cannot hold NUL, so a NUL becomes ␀ as in {@code mr local}. */
    private void text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> buffer.append("\\\\");
                case '\n' -> buffer.append("\\n");
                case '\r' -> buffer.append("\\r");
                case '\t' -> buffer.append("\\t");
                case 0 -> buffer.append('\u2400');
                default -> buffer.append(c);
            }
        }
    }

    private void flush() {
        if (buffer.length() == 0) {
            return;
        }
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
        try {
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new CopyRows.CopyFailedException(e);
        }
        buffer.setLength(0);
    }
}
