package dev.mapreduce.coordinator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the coordinator schedules: failure detection, retries, speculation, dispatch limits.
 *
 * @param workerTimeout a worker with no heartbeat for this long is dead; its attempts run again elsewhere
 * @param maxAttempts failed attempts a task may have before its job fails
 * @param retryBackoff wait before the first retry; doubles with each failure
 * @param speculation backup attempts for stragglers
 * @param monitorInterval how often the leader looks for dead workers, due retries and stragglers
 * @param maxLineageRecoveries map re-runs for lost shuffle data a job may need before it fails
 * @param dispatch how many attempts may be in flight (queued in Kafka or running), per job and in all
 * @param startTimeout an attempt whose message Kafka took this long ago and that has not reported
 *     STARTED is given up as lost (its message archived after the share group's delivery limit, or
 *     lost with the broker's data) and its task dispatched again; it does not count as a failure
 *     ({@code TASK_START_TIMEOUT})
 */
@ConfigurationProperties("mapreduce.scheduler")
public record SchedulerSettings(
        @DefaultValue("5s") Duration workerTimeout,
        @DefaultValue("4") int maxAttempts,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue Speculation speculation,
        @DefaultValue("250ms") Duration monitorInterval,
        @DefaultValue("50") int maxLineageRecoveries,
        @DefaultValue Dispatch dispatch,
        @DefaultValue("10m") Duration startTimeout) {

    public SchedulerSettings {
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "mapreduce.scheduler.start-timeout must be positive, got " + startTimeout);
        }
    }

    /**
     * @param quantile share of a phase's tasks that must be done before any backup starts
     * @param multiplier a task running longer than this many times the phase's median gets a backup
     * @param minRuntime no backup for a task that has run less than this
     */
    public record Speculation(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("0.75") double quantile,
            @DefaultValue("1.5") double multiplier,
            @DefaultValue("1s") Duration minRuntime) {}

    /**
     * Limits on attempts in flight (queued in Kafka or running), counted per task type: map and
     * reduce tasks go to different workers. A task without a slot waits in PostgreSQL.
     *
     * @param jobLimit attempts one job may have in flight per type ({@code JOB_MAX_IN_FLIGHT});
     *     0: {@code slotsPerWorker} × the live workers of that type (at least one worker's worth)
     * @param maxInFlight attempts all jobs together may have in flight per type ({@code MAX_IN_FLIGHT});
     *     0: four times the per-job limit
     * @param slotsPerWorker attempts kept in flight per live worker when the limits are automatic
     *     ({@code DISPATCH_SLOTS_PER_WORKER}): one running and one waiting, so a worker that finishes
     *     finds its next task in Kafka at once
     */
    public record Dispatch(
            @DefaultValue("0") int jobLimit,
            @DefaultValue("0") int maxInFlight,
            @DefaultValue("2") int slotsPerWorker) {

        public Dispatch {
            if (jobLimit < 0 || maxInFlight < 0 || slotsPerWorker < 1) {
                throw new IllegalArgumentException("mapreduce.scheduler.dispatch: job-limit and max-in-flight must be"
                        + " at least 0 (0: automatic) and slots-per-worker at least 1; got " + jobLimit + ", "
                        + maxInFlight + ", " + slotsPerWorker);
            }
        }

        /** The per-job limit with {@code liveWorkers} workers of the type alive. */
        public int jobLimit(int liveWorkers) {
            return jobLimit > 0 ? jobLimit : slotsPerWorker * Math.max(1, liveWorkers);
        }

        /** The limit on all jobs together with {@code liveWorkers} workers of the type alive. */
        public int maxInFlight(int liveWorkers) {
            return maxInFlight > 0 ? maxInFlight : 4 * jobLimit(liveWorkers);
        }
    }

    public Duration backoff(int failures) {
        return retryBackoff.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 10));
    }
}
