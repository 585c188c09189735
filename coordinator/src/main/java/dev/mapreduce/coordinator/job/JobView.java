package dev.mapreduce.coordinator.job;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.task.MalformedRecords;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A job as {@code GET /api/jobs/{id}} shows it: the seed's fields plus its owner (the tenant that
 * submitted it; null for jobs from before tenants), its SQL query (null for a job of functions), its input format and malformed limit, progress, counters,
 * the first malformed records of its committed map attempts (only in the view of one job; empty in lists), timings
 * and where its results are.
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
        String query,
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
        List<MalformedRecords.Sample> malformedSamples,
        String resultsQuery,
        String resultsUrl) {

    /** This view with the job's first malformed records. */
    JobView withMalformedSamples(List<MalformedRecords.Sample> samples) {
        return new JobView(
                jobId,
                jobName,
                status,
                owner,
                inputTopic,
                inputPath,
                from,
                to,
                numMappers,
                numReducers,
                mapFunction,
                reduceFunction,
                query,
                parameters,
                combiner,
                format,
                maxMalformedRatio,
                createdAt,
                startedAt,
                mapCompletedAt,
                completedAt,
                durationMs,
                inputRecords,
                totalMapTasks,
                completedMapTasks,
                totalReduceTasks,
                completedReduceTasks,
                mapProgress,
                reduceProgress,
                progress,
                counters,
                error,
                samples,
                resultsQuery,
                resultsUrl);
    }

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
