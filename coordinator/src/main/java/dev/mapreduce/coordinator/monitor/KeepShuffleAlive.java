package dev.mapreduce.coordinator.monitor;

import dev.mapreduce.coordinator.CoordinatorProperties;
import dev.mapreduce.coordinator.leader.LeaderElection;
import dev.mapreduce.runtime.ShuffleStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * On the leader, every quarter of the shuffle TTL ({@code SHUFFLE_TTL}), renews the shuffle runs of
 * every job that has not ended to a full TTL, so a long map phase, or reduces waiting for slots,
 * never lose runs to their expiry. The runs of an ended job are deleted when it ends; the TTL only
 * bounds what a job leaves if the coordinator cannot delete them (Redis was down then).
 */
@Component
class KeepShuffleAlive extends PeriodicDuty {

    private static final String RUNNING_JOBS =
            "SELECT job_id FROM jobs WHERE status IN ('PENDING', 'RUNNING', 'MAP_COMPLETED', 'REDUCE_RUNNING')";

    private final JdbcTemplate jdbc;
    private final ShuffleStore shuffle;
    private final LeaderElection leader;
    private final Duration ttl;

    KeepShuffleAlive(JdbcTemplate jdbc, ShuffleStore shuffle, LeaderElection leader, CoordinatorProperties props) {
        super("shuffle-keep-alive");
        this.jdbc = jdbc;
        this.shuffle = shuffle;
        this.leader = leader;
        this.ttl = props.redis().shuffleTtl();
        if (ttl == null || ttl.toMillis() < 1_000) {
            throw new IllegalArgumentException(
                    "mapreduce.redis.shuffle-ttl (SHUFFLE_TTL) must be at least 1s, got " + ttl);
        }
    }

    /** Renews the runs of every job that has not ended; returns how many keys it renewed. */
    long renew() {
        List<UUID> jobs = jdbc.queryForList(RUNNING_JOBS, UUID.class);
        long renewed = 0;
        for (UUID jobId : jobs) {
            renewed += shuffle.keepAlive(jobId, ttl);
        }
        return renewed;
    }

    @Override
    protected void tick() {
        if (!leader.isLeader()) {
            return;
        }
        survive("renew the shuffle runs of running jobs", this::renew);
    }

    /** A quarter of the TTL: three renewals can fail before a run expires. */
    private Duration every() {
        return ttl.dividedBy(4);
    }

    @Override
    public void start() {
        schedule(every(), every());
    }
}
