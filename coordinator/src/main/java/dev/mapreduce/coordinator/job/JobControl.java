package dev.mapreduce.coordinator.job;

import dev.mapreduce.coordinator.Scheduler;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.JobStatus;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What a user asks of a job once it is submitted: cancel it while it runs, delete it once it ended. Each is one
 * {@link Scheduler} change that locks the job row first, as every change does.
 */
@Component
public class JobControl {

    private static final Logger log = LoggerFactory.getLogger(JobControl.class);

    private final Scheduler scheduler;
    private final JobStore store;

    public JobControl(Scheduler scheduler, JobStore store) {
        this.scheduler = scheduler;
        this.store = store;
    }

    /** What a cancel request found. */
    public enum CancelOutcome {
        CANCELLED,
        NOT_FOUND,
        ALREADY_FINISHED
    }

    public CancelOutcome cancel(UUID jobId) {
        CancelOutcome[] outcome = {CancelOutcome.NOT_FOUND};
        scheduler.runRequested(fx -> {
            Optional<JobRow> job = store.lockJob(jobId);
            if (job.isEmpty()) {
                return null;
            }
            if (job.get().status().isFinal()) {
                outcome[0] = CancelOutcome.ALREADY_FINISHED;
                return null;
            }
            store.cancelJob(jobId);
            store.notifyChanged(jobId);
            fx.controls.add(ControlMessage.cancelJob(jobId));
            fx.cleanUp.add(jobId);
            outcome[0] = CancelOutcome.CANCELLED;
            log.info("job {} cancelled", jobId);
            return null;
        });
        return outcome[0];
    }

    /** What a delete request found: the job's status, if there was a job. */
    public record DeleteOutcome(boolean deleted, JobStatus status) {

        public boolean found() {
            return status != null;
        }
    }

    /**
     * Deletes an ended job with its tasks, attempts, commits and results, then its shuffle keys.
     * It locks the job row as every scheduler change does, so it runs on any replica, leader or
     * not: a change already holding the lock finishes first, and one that comes after finds no job.
     */
    public DeleteOutcome delete(UUID jobId) {
        DeleteOutcome[] outcome = {new DeleteOutcome(false, null)};
        scheduler.run(fx -> {
            Optional<JobRow> job = store.lockJob(jobId);
            if (job.isEmpty()) {
                return null;
            }
            if (!job.get().status().isFinal()) {
                outcome[0] = new DeleteOutcome(false, job.get().status());
                return null;
            }
            store.deleteJob(jobId);
            store.notifyChanged(jobId);
            fx.cleanUp.add(jobId);
            outcome[0] = new DeleteOutcome(true, job.get().status());
            log.info("job {} deleted", jobId);
            return null;
        });
        return outcome[0];
    }
}
