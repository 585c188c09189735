package dev.mapreduce.coordinator;

import dev.mapreduce.engine.format.FormatSpec;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job as {@code GET /api/jobs/{id}} shows it: the seed's fields plus its owner (the tenant that
 * submitted it; null for jobs from before tenants), its input format and malformed limit, progress, counters,
 * timings and where its results are.
 */
record JobView(
        UUID jobId,
        String jobName,
        String status,
        String owner,
        String inputTopic,
        String inputPath,
        Instant from,
        Instant to,
        int numMappers,
        int numReducers,
        String mapFunction,
        String reduceFunction,
        Map<String, String> parameters,
        boolean combiner,
        FormatSpec format,
        double maxMalformedRatio,
        Instant createdAt,
        Instant startedAt,
        Instant mapCompletedAt,
        Instant completedAt,
        Long durationMs,
        long inputRecords,
        int totalMapTasks,
        int completedMapTasks,
        int totalReduceTasks,
        int completedReduceTasks,
        double mapProgress,
        double reduceProgress,
        double progress,
        Counters counters,
        String error,
        String resultsQuery,
        String resultsUrl) {

    /** The job's counters: sums over the committed attempt of every task. */
    record Counters(
            long recordsRead,
            long malformedRecords,
            long mapOutputRecords,
            long combineOutputRecords,
            long shuffleBytes,
            long reduceInputRecords,
            long outputRecords) {}
}
