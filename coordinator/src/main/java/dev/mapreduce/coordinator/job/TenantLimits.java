package dev.mapreduce.coordinator.job;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What one tenant (a job's owner) may hold at once, so that one tenant cannot fill the cluster.
 *
 * @param maxActiveJobs jobs one owner may have queued or running at once (PENDING, RUNNING,
 *     MAP_COMPLETED, REDUCE_RUNNING); one more submit is a 429 problem with {@code Retry-After}
 *     ({@code MAPREDUCE_MAX_ACTIVE_JOBS_PER_TENANT}). 0: no cap. A job without an owner is never
 *     capped; with the gateway's API keys off every job is the tenant {@code anonymous}'s
 */
@ConfigurationProperties("mapreduce.coordinator.tenant")
public record TenantLimits(@DefaultValue("0") int maxActiveJobs) {

    public TenantLimits {
        if (maxActiveJobs < 0) {
            throw new IllegalArgumentException("mapreduce.coordinator.tenant.max-active-jobs"
                    + " (MAPREDUCE_MAX_ACTIVE_JOBS_PER_TENANT) must be at least 0 (0: no cap), not " + maxActiveJobs);
        }
    }
}
