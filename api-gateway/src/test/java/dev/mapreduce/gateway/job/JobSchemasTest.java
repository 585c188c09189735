package dev.mapreduce.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.protocol.JobRequest;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.media.Schema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documented job request is the one the gateway reads, and its examples are jobs it accepts. */
class JobSchemasTest {

    @Test
    void theDocumentedJobRequestHasExactlyTheFieldsTheReaderTakes() {
        Schema<?> schema = ModelConverters.getInstance(true)
                .readAll(JobSchemas.JobRequest.class)
                .get("JobRequest");

        assertThat(schema.getProperties().keySet()).containsExactlyElementsOf(JobRequestReader.FIELDS);
        assertThat(schema.getRequired()).isEqualTo(List.of("jobName"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                JobSchemas.SUBMIT_EXAMPLE,
                JobSchemas.ERROR_PATTERN_EXAMPLE,
                JobSchemas.TIME_RANGE_EXAMPLE,
                JobSchemas.FILE_EXAMPLE,
                JobSchemas.FORMAT_EXAMPLE,
                JobSchemas.QUERY_EXAMPLE
            })
    void everyExampleIsAJobTheGatewayReadsAndTheCoordinatorAccepts(String example) {
        JobRequest job = JobRequestReader.read(example.getBytes(StandardCharsets.UTF_8));

        // what the coordinator runs on a submit (InvalidSubmitIT): the gateway no longer does
        assertThat(job.withDefaults().validate()).isEmpty();
    }

    @Test
    void theSubmitExampleIsTheDemoWordCount() {
        JobRequest job = JobRequestReader.read(JobSchemas.SUBMIT_EXAMPLE.getBytes(StandardCharsets.UTF_8))
                .withDefaults();

        assertThat(job.inputTopic()).isEqualTo(JobRequest.DEFAULT_TOPIC);
        assertThat(job.mapFunction()).isEqualTo("WORD_COUNT");
        assertThat(job.reduceFunction()).isEqualTo("SUM");
    }
}
