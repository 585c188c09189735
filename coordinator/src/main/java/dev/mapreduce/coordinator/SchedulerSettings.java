package dev.mapreduce.coordinator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the coordinator schedules: failure detection, retries, speculation.
 *
 * @param workerTimeout a worker with no heartbeat for this long is dead; its attempts run again elsewhere
 * @param maxAttempts failed attempts a task may have before its job fails
 * @param retryBackoff wait before the first retry; doubles with each failure
 * @param speculation backup attempts for stragglers
 * @param monitorInterval how often the leader looks for dead workers, due retries and stragglers
 * @param maxLineageRecoveries map re-runs for lost shuffle data a job may need before it fails
 */
@ConfigurationProperties("mapreduce.scheduler")
record SchedulerSettings(
        @DefaultValue("5s") Duration workerTimeout,
        @DefaultValue("4") int maxAttempts,
        @DefaultValue("1s") Duration retryBackoff,
        @DefaultValue Speculation speculation,
        @DefaultValue("250ms") Duration monitorInterval,
        @DefaultValue("50") int maxLineageRecoveries) {

    /**
     * @param quantile share of a phase's tasks that must be done before any backup starts
     * @param multiplier a task running longer than this many times the phase's median gets a backup
     * @param minRuntime no backup for a task that has run less than this
     */
    record Speculation(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("0.75") double quantile,
            @DefaultValue("1.5") double multiplier,
            @DefaultValue("1s") Duration minRuntime) {}

    Duration backoff(int failures) {
        return retryBackoff.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 10));
    }
}
