package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.job.JobControl;
import dev.mapreduce.coordinator.job.PurgeFinishedJobs;
import dev.mapreduce.coordinator.job.RetentionSettings;
import dev.mapreduce.coordinator.leader.LeaderElection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The retention deletes exactly the finished jobs past their tenant's retention, with their rows. */
class RetentionIT extends CoordinatorTestBase {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JobControl control;

    @Autowired
    LeaderElection leader;

    private final List<UUID> made = new ArrayList<>();

    /**
     * Tenants of their own, and ages no other test's jobs have: the database is shared with the other tests,
     * whose finished jobs the default retention must not see.
     */
    private final String acme = "acme-" + UUID.randomUUID();

    private final String globex = "globex-" + UUID.randomUUID();

    private final String initech = "initech-" + UUID.randomUUID();

    private static final Duration DECADE = Duration.ofDays(3650);

    @AfterEach
    void removeWhatIsLeft() {
        made.forEach(control::delete);
        jdbc.update("DELETE FROM jobs WHERE job_id = ANY (?)", (Object) made.toArray(UUID[]::new));
    }

    @Test
    void finishedJobsPastTheirTenantsRetentionAreDeletedWithTheirRowsAndNothingElse() {
        UUID ownerlessOld = job(null, "COMPLETED", DECADE.plusDays(1));
        UUID young = job(initech, "COMPLETED", DECADE.minusDays(1));
        UUID cancelledOld = job(initech, "CANCELLED", DECADE.plusDays(10));
        UUID acmeFailed = job(acme, "FAILED", Duration.ofDays(2));
        UUID acmeYoung = job(acme, "COMPLETED", Duration.ofHours(1));
        UUID globexAncient = job(globex, "COMPLETED", DECADE.multipliedBy(2));
        UUID runningOld = job(null, "RUNNING", null);
        jdbc.update("INSERT INTO results VALUES (?, 'k', 1), (?, 'k', 2)", ownerlessOld, young);

        var purge = purge(new RetentionSettings(DECADE, acme + "=1d, " + globex + "=off", Duration.ofMinutes(10), 100));

        assertThat(purge.due()).containsExactlyInAnyOrder(acmeFailed, cancelledOld, ownerlessOld);
        assertThat(purge.purge()).isEqualTo(3);
        assertThat(jdbc.queryForList("SELECT job_id FROM jobs WHERE job_id = ANY (?)", UUID.class, (Object)
                        made.toArray(UUID[]::new)))
                .containsExactlyInAnyOrder(young, acmeYoung, globexAncient, runningOld);
        assertThat(jdbc.queryForList("SELECT job_id FROM results WHERE job_id = ANY (?)", UUID.class, (Object)
                        new UUID[] {ownerlessOld, young}))
                .containsExactly(young);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tasks WHERE job_id = ANY (?)", Integer.class, (Object)
                        new UUID[] {ownerlessOld, cancelledOld, acmeFailed}))
                .isZero();
        assertThat(purge.purge()).isZero();
    }

    @Test
    void aLookDeletesOneBatchOldestFirstAndATenantAloneCanHaveARetention() {
        UUID older = job(acme, "COMPLETED", Duration.ofDays(9));
        UUID old = job(acme, "COMPLETED", Duration.ofDays(8));
        UUID ownerless = job(null, "COMPLETED", DECADE.multipliedBy(2));

        var purge = purge(new RetentionSettings(null, acme + "=7d", Duration.ofMinutes(10), 1));

        assertThat(purge.due()).containsExactly(older);
        assertThat(purge.purge()).isEqualTo(1);
        assertThat(purge.due()).containsExactly(old);
        assertThat(purge.purge()).isEqualTo(1);
        assertThat(purge.due()).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM jobs WHERE job_id = ?", Integer.class, ownerless))
                .isOne();
    }

    private PurgeFinishedJobs purge(RetentionSettings settings) {
        return new PurgeFinishedJobs(jdbc, control, leader, settings, new SimpleMeterRegistry());
    }

    /** A job of the owner that ended {@code ago} (running when null), with one map task. */
    private UUID job(String owner, String status, Duration ago) {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers, map_function,"
                        + " reduce_function, owner, created_at, completed_at)"
                        + " VALUES (?, 'retention', ?, 'none', 1, 1, 'WORD_COUNT', 'SUM', ?,"
                        + " now() - interval '9000 days', now() - make_interval(secs => ?))",
                id,
                status,
                owner,
                ago == null ? null : (double) ago.toSeconds());
        if (ago == null) {
            jdbc.update("UPDATE jobs SET completed_at = NULL WHERE job_id = ?", id);
        }
        jdbc.update(
                "INSERT INTO tasks (job_id, task_type, task_index, status) VALUES (?, 'MAP', 0, ?)",
                id,
                ago == null ? "RUNNING" : "COMPLETED");
        made.add(id);
        return id;
    }
}
