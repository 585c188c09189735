package dev.mapreduce.gateway.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A job's results, read straight from PostgreSQL. The rows come through a server-side cursor:
 * PostgreSQL's driver fetches {@link #FETCH_SIZE} rows at a time when autocommit is off (here, a
 * read-only transaction), so a million rows never sit in the gateway's memory.
 */
@Repository
class ResultStore {

    static final int FETCH_SIZE = 1_000;

    private static final String JOB = "SELECT status, owner, query, format FROM jobs WHERE job_id = ?";

    /** A query job's rows in its ORDER BY (result_ord); the coordinator applied its OFFSET and LIMIT. */
    private static final String QUERY_ROWS =
            "SELECT result_row::text FROM results WHERE job_id = ? ORDER BY result_ord, result_key";

    private static final String ROWS = "SELECT result_key, result_value FROM results WHERE job_id = ?";

    /** The job a caller asks the results of; a query job has its query and format (JSON, null for the default). */
    record Job(String status, String owner, String query, String format) {}

    /** The rows' order: by value, highest first, then key; or by key (byte order, as the column's "C" collation). */
    enum Order {
        VALUE_DESC(" ORDER BY result_value DESC, result_key"),
        KEY(" ORDER BY result_key");

        private final String sql;

        Order(String sql) {
            this.sql = sql;
        }

        String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Receives the rows one at a time. */
    interface RowHandler {
        void row(String key, BigDecimal value) throws IOException;
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;

    ResultStore(DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
    }

    Optional<Job> job(UUID jobId) {
        return jdbc
                .query(
                        JOB,
                        (rs, n) -> new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                        jobId)
                .stream()
                .findFirst();
    }

    /** Receives a query job's rows one at a time, each its {@code result_row} JSON object. */
    interface QueryRowHandler {
        void row(String json) throws IOException;
    }

    /**
     * Hands a query job's rows to {@code handler} in the query's order, skipping {@code offset} and
     * stopping after {@code limit} (null: every row).
     */
    void forEachQueryRow(UUID jobId, Long limit, long offset, QueryRowHandler handler) throws IOException {
        stream(QUERY_ROWS, jobId, limit, offset, rs -> handler.row(rs.getString(1)));
    }

    /**
     * Hands the job's rows to {@code handler} in {@code order}, skipping {@code offset} and stopping
     * after {@code limit} (null: every row).
     *
     * @throws IOException if the handler failed to write (typically: the client went away)
     */
    void forEach(UUID jobId, Order order, Long limit, long offset, RowHandler handler) throws IOException {
        stream(ROWS + order.sql, jobId, limit, offset, rs -> handler.row(rs.getString(1), rs.getBigDecimal(2)));
    }

    private interface ResultRow {
        void take(java.sql.ResultSet rs) throws IOException, java.sql.SQLException;
    }

    private void stream(String rows, UUID jobId, Long limit, long offset, ResultRow handler) throws IOException {
        List<Object> args = new ArrayList<>(List.of(jobId));
        String sql = rows;
        if (limit != null) {
            sql += " LIMIT ?";
            args.add(limit);
        }
        sql += " OFFSET ?";
        args.add(offset);
        String query = sql;
        try {
            readOnly.executeWithoutResult(status -> jdbc.query(
                    query,
                    rs -> {
                        try {
                            handler.take(rs);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    args.toArray()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
