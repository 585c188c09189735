package dev.mapreduce.coordinator.job;

import dev.mapreduce.coordinator.leader.LeaderElection;
import dev.mapreduce.coordinator.monitor.PeriodicDuty;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Retention: on the leader, every {@link RetentionSettings#interval()}, deletes the finished jobs older than their
 * tenant's retention with everything they left (tasks, attempts, commits, results, shuffle keys), oldest first,
 * each through {@link JobControl#delete} as a {@code DELETE /api/jobs/{id}} would. Off unless a retention is set.
 */
@Component
public class PurgeFinishedJobs extends PeriodicDuty {

    private static final Logger log = LoggerFactory.getLogger(PurgeFinishedJobs.class);

    private static final String FINISHED =
            "SELECT job_id FROM jobs WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED')"
                    + " AND completed_at < now() - make_interval(secs => ?)";

    private final JdbcTemplate jdbc;
    private final JobControl control;
    private final LeaderElection leader;
    private final RetentionSettings settings;
    private final Counter purged;

    public PurgeFinishedJobs(
            JdbcTemplate jdbc,
            JobControl control,
            LeaderElection leader,
            RetentionSettings settings,
            MeterRegistry registry) {
        super("retention");
        this.jdbc = jdbc;
        this.control = control;
        this.leader = leader;
        this.settings = settings;
        this.purged = Counter.builder("mapreduce.jobs.purged")
                .description("Finished jobs deleted by the retention (MAPREDUCE_RETENTION_*)")
                .register(registry);
    }

    /** The jobs due now, at most one batch, oldest first within each retention. */
    public List<UUID> due() {
        Map<String, Optional<Duration>> tenants = settings.tenantRetentions();
        List<UUID> due = new ArrayList<>();
        int left = settings.batch();
        for (Map.Entry<String, Optional<Duration>> tenant : tenants.entrySet()) {
            if (tenant.getValue().isPresent() && left > 0) {
                due.addAll(jdbc.queryForList(
                        FINISHED + " AND owner = ? ORDER BY completed_at LIMIT ?",
                        UUID.class,
                        seconds(tenant.getValue().get()),
                        tenant.getKey(),
                        left));
                left = settings.batch() - due.size();
            }
        }
        if (settings.finishedJobs() != null && left > 0) {
            // every other tenant's jobs, and those from before tenants (no owner)
            List<Object> args = new ArrayList<>(List.of(seconds(settings.finishedJobs())));
            StringBuilder sql = new StringBuilder(FINISHED);
            if (!tenants.isEmpty()) {
                sql.append(" AND (owner IS NULL OR owner <> ALL (?))");
                args.add(tenants.keySet().toArray(String[]::new));
            }
            sql.append(" ORDER BY completed_at LIMIT ?");
            args.add(left);
            due.addAll(jdbc.queryForList(sql.toString(), UUID.class, args.toArray()));
        }
        return due;
    }

    /** Deletes the jobs due now; returns how many it deleted. */
    public int purge() {
        int deleted = 0;
        for (UUID jobId : due()) {
            if (control.delete(jobId).deleted()) {
                deleted++;
                purged.increment();
            }
        }
        if (deleted > 0) {
            log.info("retention: deleted {} finished job(s)", deleted);
        }
        return deleted;
    }

    @Override
    protected void tick() {
        if (!leader.isLeader()) {
            return;
        }
        survive("purge finished jobs", this::purge);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        log.info(
                "retention: finished jobs kept {}{}; looked for every {}",
                settings.finishedJobs() == null ? "forever" : settings.finishedJobs(),
                settings.tenants().isBlank() ? "" : " (per tenant: " + settings.tenants() + ")",
                settings.interval());
        schedule(settings.interval(), settings.interval());
    }
}
