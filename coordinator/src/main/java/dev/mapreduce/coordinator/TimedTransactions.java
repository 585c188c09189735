package dev.mapreduce.coordinator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * Every coordinator transaction runs with the statement and lock timeouts of {@link
 * DatabaseTimeouts}, set for that transaction only ({@code set_config(…, true)}, as {@code SET
 * LOCAL}) in the same round trip: a lock that another session holds for too long fails the
 * transaction, which is retried, instead of stopping the thread that applies events.
 */
@Configuration(proxyBeanMethods = false)
class TimedTransactions {

    @Bean
    JdbcTransactionManager transactionManager(DataSource dataSource, DatabaseTimeouts timeouts) {
        return new TimedTransactionManager(dataSource, timeouts);
    }

    private static final class TimedTransactionManager extends JdbcTransactionManager {

        private static final String SET_TIMEOUTS =
                "SELECT set_config('statement_timeout', ?, true)," + " set_config('lock_timeout', ?, true)";

        private final String statementTimeout;
        private final String lockTimeout;

        TimedTransactionManager(DataSource dataSource, DatabaseTimeouts timeouts) {
            super(dataSource);
            this.statementTimeout = Long.toString(timeouts.statementTimeout().toMillis());
            this.lockTimeout = Long.toString(timeouts.lockTimeout().toMillis());
        }

        @Override
        protected void prepareTransactionalConnection(Connection con, TransactionDefinition definition)
                throws SQLException {
            super.prepareTransactionalConnection(con, definition);
            try (PreparedStatement set = con.prepareStatement(SET_TIMEOUTS)) {
                set.setString(1, statementTimeout);
                set.setString(2, lockTimeout);
                set.execute();
            }
        }
    }
}
