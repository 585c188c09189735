package dev.mapreduce.coordinator.job;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationStyle;

/**
 * How long finished jobs (COMPLETED, FAILED, CANCELLED) are kept with their tasks, attempts and results; off
 * unless set. A job's age is counted from its end.
 *
 * @param finishedJobs the retention of every tenant's finished jobs ({@code MAPREDUCE_RETENTION_FINISHED_JOBS},
 *     e.g. {@code 30d}); absent: kept forever
 * @param tenants per-tenant retentions, {@code acme=7d,globex=off}, over the default
 *     ({@code MAPREDUCE_RETENTION_TENANTS}); a tenant is the owner of a job (its API key's tenant); {@code off}
 *     keeps that tenant's jobs forever
 * @param interval how often the leader looks for jobs to purge ({@code MAPREDUCE_RETENTION_INTERVAL})
 * @param batch jobs purged at most per look, each in its own transaction ({@code MAPREDUCE_RETENTION_BATCH})
 */
@ConfigurationProperties("mapreduce.retention")
public record RetentionSettings(
        Duration finishedJobs,
        @DefaultValue("") String tenants,
        @DefaultValue("10m") Duration interval,
        @DefaultValue("100") int batch) {

    public RetentionSettings {
        if (finishedJobs != null && !positive(finishedJobs)) {
            throw new IllegalArgumentException(
                    "mapreduce.retention.finished-jobs must be positive (or absent: off), got " + finishedJobs);
        }
        if (!positive(interval) || batch < 1) {
            throw new IllegalArgumentException("mapreduce.retention: interval must be positive and batch at least 1,"
                    + " got " + interval + " and " + batch);
        }
        tenantRetentions(tenants); // fails the start on a bad entry
    }

    /** Each tenant named in {@link #tenants()}: its retention, or empty for {@code off}. */
    Map<String, Optional<Duration>> tenantRetentions() {
        return tenantRetentions(tenants);
    }

    /** Whether any job is ever purged. */
    boolean enabled() {
        return finishedJobs != null || tenantRetentions().values().stream().anyMatch(Optional::isPresent);
    }

    private static Map<String, Optional<Duration>> tenantRetentions(String tenants) {
        Map<String, Optional<Duration>> byTenant = new LinkedHashMap<>();
        for (String entry : tenants.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String tenant = eq < 0 ? "" : entry.substring(0, eq).strip();
            String value = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (tenant.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException("mapreduce.retention.tenants: '" + entry.strip()
                        + "' is not tenant=duration (e.g. acme=7d) or tenant=off");
            }
            Optional<Duration> retention;
            if (value.equalsIgnoreCase("off")) {
                retention = Optional.empty();
            } else {
                try {
                    retention = Optional.of(DurationStyle.detectAndParse(value));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("mapreduce.retention.tenants: '" + value + "' of tenant "
                            + tenant + " is not a duration (e.g. 7d, 12h) or off");
                }
                if (!positive(retention.get())) {
                    throw new IllegalArgumentException(
                            "mapreduce.retention.tenants: the retention of tenant " + tenant + " must be positive");
                }
            }
            if (byTenant.put(tenant, retention) != null) {
                throw new IllegalArgumentException("mapreduce.retention.tenants: tenant " + tenant + " is named twice");
            }
        }
        return byTenant;
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero(); // Duration.isPositive is Java 18
    }
}
