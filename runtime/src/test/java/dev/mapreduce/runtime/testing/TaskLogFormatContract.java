package dev.mapreduce.runtime.testing;

import static dev.mapreduce.runtime.testing.ServiceLogs.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.TaskMdc;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The logging settings of a service that works on tasks (its application.yml): plain text naming
 * the task a line is about, or with {@code LOG_FORMAT=ecs} one JSON object per line with the task's
 * fields. Each such service subclasses it in its own tests, so its own settings are the ones read.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class TaskLogFormatContract {

    private final UUID job = UUID.randomUUID();

    /** The service's {@code spring.application.name}. */
    protected abstract String serviceName();

    @Test
    void withLogFormatEcsEveryLineIsAJsonObjectAndATaskLineHasItsJobTaskAndAttempt(CapturedOutput output) {
        logOneTaskLineAndOneOther("LOG_FORMAT=ecs");

        JsonNode task = json(ServiceLogs.lineWith(output, "task-line " + job));
        assertThat(task.path("jobId").asString()).isEqualTo(job.toString());
        assertThat(task.path("task").asString()).isEqualTo("map-3");
        assertThat(task.path("attempt").asString()).isEqualTo("2");
        assertThat(task.path("message").asString()).isEqualTo("task-line " + job);
        assertThat(task.path("service").path("name").asString()).isEqualTo(serviceName());
        JsonNode other = json(ServiceLogs.lineWith(output, "other-line " + job));
        assertThat(other.has("jobId")).isFalse();
        assertThat(output.getOut().lines().filter(line -> !line.isBlank()))
                .allSatisfy(line -> assertThat(json(line).isObject()).isTrue());
    }

    @Test
    void byDefaultLinesArePlainTextAndATaskLineNamesItsJobTaskAndAttempt(CapturedOutput output) {
        logOneTaskLineAndOneOther();

        assertThat(ServiceLogs.lineWith(output, "task-line " + job)).contains("[job=" + job + " task=map-3#2] ");
        assertThat(ServiceLogs.lineWith(output, "other-line " + job))
                .doesNotContain("job=")
                .doesNotContain("task=");
    }

    @Test
    void aLineAboutAJobWithoutATaskNamesTheJobOnly(CapturedOutput output) {
        try (var context = ServiceLogs.start(getClass())) {
            try (var ignored = TaskMdc.of(job)) {
                LoggerFactory.getLogger(getClass()).info("job-line {}", job);
            }
        }

        assertThat(ServiceLogs.lineWith(output, "job-line " + job))
                .contains("[job=" + job + "] ")
                .doesNotContain("task=");
    }

    private void logOneTaskLineAndOneOther(String... properties) {
        try (var context = ServiceLogs.start(getClass(), properties)) {
            var log = LoggerFactory.getLogger(getClass());
            try (var ignored = TaskMdc.of(new AttemptRef(job, TaskType.MAP, 3, 2))) {
                log.info("task-line {}", job);
            }
            log.info("other-line {}", job);
        }
    }
}
