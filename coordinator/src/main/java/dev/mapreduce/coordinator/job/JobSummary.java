package dev.mapreduce.coordinator.job;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A job as the jobs list shows it. */
record JobSummary(
        UUID jobId,
        String jobName,
        String status,
        String owner,
        String inputTopic,
        String inputPath,
        String mapFunction,
        String reduceFunction,
        Instant createdAt,
        Instant completedAt,
        Long durationMs,
        double progress) {

    static JobSummary of(JobView job) {
        return new JobSummary(
                job.jobId(),
                job.jobName(),
                job.status(),
                job.owner(),
                job.inputTopic(),
                job.inputPath(),
                job.mapFunction(),
                job.reduceFunction(),
                job.createdAt(),
                job.completedAt(),
                job.durationMs(),
                job.progress());
    }

    /** One page of the list, and how many jobs match in all. */
    record Page(List<JobSummary> jobs, long total, int limit, int offset) {}
}
