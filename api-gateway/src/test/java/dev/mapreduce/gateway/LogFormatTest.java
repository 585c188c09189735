package dev.mapreduce.gateway;

import static dev.mapreduce.runtime.testing.ServiceLogs.json;
import static dev.mapreduce.runtime.testing.ServiceLogs.lineWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.runtime.testing.ServiceLogs;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

/**
 * The gateway's logging settings (application.yml): with {@code LOG_FORMAT=ecs}, one JSON object
 * per line, with whatever the logging context holds as fields.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogFormatTest {

    private final UUID job = UUID.randomUUID();

    @Test
    void withLogFormatEcsEveryLineIsAJsonObjectWithTheLoggingContextAsFields(CapturedOutput output) {
        try (var context = ServiceLogs.start(LogFormatTest.class, "LOG_FORMAT=ecs")) {
            var log = LoggerFactory.getLogger(LogFormatTest.class);
            try (var ignored = MDC.putCloseable("jobId", job.toString())) {
                log.info("job-line {}", job);
            }
            log.info("other-line {}", job);
        }

        JsonNode jobLine = json(lineWith(output, "job-line " + job));
        assertThat(jobLine.path("jobId").asString()).isEqualTo(job.toString());
        assertThat(jobLine.path("message").asString()).isEqualTo("job-line " + job);
        assertThat(jobLine.path("service").path("name").asString()).isEqualTo("api-gateway");
        JsonNode other = json(lineWith(output, "other-line " + job));
        assertThat(other.has("jobId")).isFalse();
        assertThat(output.getOut().lines().filter(line -> !line.isBlank()))
                .allSatisfy(line -> assertThat(json(line).isObject()).isTrue());
    }
}
