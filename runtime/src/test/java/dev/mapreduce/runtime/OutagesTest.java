package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutagesTest {

    @Test
    void redisThatCannotBeReachedOrDoesNotAnswerIsAnOutage() {
        assertThat(Outages.isOutage(new ShuffleStoreException(
                        "cannot read shuffle runs from Redis", new RedisConnectionException("refused"))))
                .isTrue();
        assertThat(Outages.isOutage(new RedisCommandTimeoutException("Command timed out after 10 second(s)")))
                .isTrue();
        assertThat(Outages.isOutage(
                        new ShuffleStoreException("Redis did not answer within PT10S", new TimeoutException())))
                .isTrue();
        assertThat(Outages.isOutage(new RedisException("Connection closed"))).isTrue();
    }

    @Test
    void redisRefusingACommandIsTheTasksFailure() {
        assertThat(Outages.isOutage(new ShuffleStoreException(
                        "Redis refused to store a run",
                        new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'"))))
                .isFalse();
        assertThat(Outages.isOutage(new RedisException("READONLY You can't write against a read only replica")))
                .isFalse();
    }

    @Test
    void postgresqlLostOrRestartingIsAnOutageButAnSqlErrorIsNot() {
        assertThat(Outages.isOutage(new SQLException("An I/O error occurred while sending to the backend", "08006")))
                .isTrue();
        assertThat(Outages.isOutage(new SQLException("terminating connection due to administrator command", "57P01")))
                .isTrue();
        assertThat(Outages.isOutage(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(Outages.isOutage(new SQLTransientConnectionException("Connection is not available")))
                .isTrue();
        assertThat(Outages.isOutage(new SQLException("duplicate key value", "23505")))
                .isFalse();
        assertThat(Outages.isOutage(new SQLException("canceling statement due to lock timeout", "55P03")))
                .isFalse();
    }

    @Test
    void kafkaOrASocketThatCannotBeReachedIsAnOutage() {
        assertThat(Outages.isOutage(new IllegalStateException(
                        "Kafka did not take the message",
                        new org.apache.kafka.common.errors.TimeoutException("metadata"))))
                .isTrue();
        assertThat(Outages.isOutage(new IOException("read", new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(Outages.isOutage(new InputStalledException("no records from topic logs within 30 s")))
                .isTrue();
    }

    @Test
    void theTasksOwnFailuresAreNeverOutagesWhateverTheirCause() {
        assertThat(Outages.isOutage(new TaskFailure("fetch failed", new RedisConnectionException("refused"))))
                .isFalse();
        assertThat(Outages.isOutage(new TaskCancelledException("cancelled"))).isFalse();
        assertThat(Outages.isOutage(new IllegalArgumentException("unknown function")))
                .isFalse();
        assertThat(Outages.isOutage(new IOException("Not in GZIP format"))).isFalse();
    }
}
