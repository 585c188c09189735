package dev.mapreduce.coordinator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the coordinator lets PostgreSQL make it wait, so that no lock held elsewhere (a frozen
 * reduce worker's {@code FOR SHARE}, a stuck session) can stop scheduling for good, and a leader
 * that vanished gives up its lock.
 *
 * @param statementTimeout most time one statement of a coordinator transaction may take
 *     ({@code SCHEDULING_STATEMENT_TIMEOUT}); the transaction then fails and is retried as after
 *     any database error. 0: no limit
 * @param lockTimeout most time a statement of a coordinator transaction may wait for a lock
 *     ({@code SCHEDULING_LOCK_TIMEOUT}); 0: no limit
 * @param leaderKeepalive TCP keepalive idle time and interval of the leader's lock session, on
 *     both ends ({@code LEADER_KEEPALIVE}): PostgreSQL drops the session of a leader it has not
 *     heard from for about four times this, releasing the leadership to a standby
 * @param leaderLockTimeout most time a statement on the leader's lock session may wait for a lock
 *     ({@code LEADER_LOCK_TIMEOUT})
 */
@ConfigurationProperties("mapreduce.database")
public record DatabaseTimeouts(
        @DefaultValue("2m") Duration statementTimeout,
        @DefaultValue("10s") Duration lockTimeout,
        @DefaultValue("5s") Duration leaderKeepalive,
        @DefaultValue("5s") Duration leaderLockTimeout) {

    public DatabaseTimeouts {
        requireNotNegative("statement-timeout", statementTimeout);
        requireNotNegative("lock-timeout", lockTimeout);
        requireNotNegative("leader-lock-timeout", leaderLockTimeout);
        if (leaderKeepalive.toSeconds() < 1) {
            throw new IllegalArgumentException(
                    "mapreduce.database.leader-keepalive must be at least 1s, got " + leaderKeepalive);
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException(
                    "mapreduce.database." + name + " must be 0 (no limit) or more, got " + value);
        }
    }
}
