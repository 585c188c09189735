package dev.mapreduce.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.UUID;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** How {@code mr submit --wait} and {@code mr query} follow a job to its end: progress on stderr. */
final class FollowOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--progress",
            defaultValue = "auto",
            paramLabel = "STYLE",
            description = "While following the job: 'bar' redraws one line, 'lines' prints one per change, 'auto'"
                    + " (default) picks bar on a terminal.")
    String progress;

    @Option(
            names = "--poll-interval",
            defaultValue = "400",
            paramLabel = "MS",
            description = "While following the job: milliseconds between two looks at it (default ${DEFAULT-VALUE}).")
    long pollMillis;

    /** Refuses bad values before anything is submitted. */
    void validate() {
        if (pollMillis < 1) {
            throw new ParameterException(
                    command.commandLine(), "--poll-interval must be at least 1, got " + pollMillis);
        }
        style();
    }

    /**
     * Follows the job to its end; the job's last state when it COMPLETED, else null once a line on stderr has said
     * how it ended.
     */
    JsonNode untilCompleted(GatewayClient client, String jobId) {
        PrintWriter err = command.commandLine().getErr();
        JsonNode job =
                new JobFollower(client, err, style(), Duration.ofMillis(pollMillis)).follow(UUID.fromString(jobId));
        String status = Text.field(job, "status");
        if ("COMPLETED".equals(status)) {
            return job;
        }
        String error = Text.field(job, "error");
        err.println("mr: job " + jobId + " " + status + (error != null ? ": " + error : ""));
        err.flush();
        return null;
    }

    private JobFollower.Style style() {
        return switch (progress) {
            case "auto" -> JobFollower.Style.detect();
            case "bar" -> JobFollower.Style.BAR;
            case "lines" -> JobFollower.Style.LINES;
            default ->
                throw new ParameterException(
                        command.commandLine(), "--progress must be auto, bar or lines, got '" + progress + "'");
        };
    }
}
