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

    private static final String JOB = "SELECT status, owner FROM jobs WHERE job_id = ?";

    private static final String ROWS = "SELECT result_key, result_value FROM results WHERE job_id = ?";

    /** The job a caller asks the results of. */
    record Job(String status, String owner) {}

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
        return jdbc.query(JOB, (rs, n) -> new Job(rs.getString(1), rs.getString(2)), jobId).stream()
                .findFirst();
    }

    /**
     * Hands the job's rows to {@code handler} in {@code order}, skipping {@code offset} and stopping
     * after {@code limit} (null: every row).
     *
     * @throws IOException if the handler failed to write (typically: the client went away)
     */
    void forEach(UUID jobId, Order order, Long limit, long offset, RowHandler handler) throws IOException {
        List<Object> args = new ArrayList<>(List.of(jobId));
        String sql = ROWS + order.sql;
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
                            handler.row(rs.getString(1), rs.getBigDecimal(2));
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
