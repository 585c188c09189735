package dev.mapreduce.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobRequest.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRequestReaderTest {

    @Test
    void theSeedBodyReadsAsItsJobWithTheRemainingDefaults() {
        JobRequest request = read(
                """
                {"jobName":"word-count-analysis","inputTopic":"application-logs","numMappers":4,"numReducers":2,
                 "mapFunction":"WORD_COUNT","reduceFunction":"SUM"}""");

        assertThat(request)
                .isEqualTo(new JobRequest(
                        "word-count-analysis", "application-logs", 4, 2, "WORD_COUNT", "SUM", Map.of(), true));
    }

    @Test
    void nullFieldsAreAbsentAndTakeTheirDefaults() {
        JobRequest request = read(
                """
                {"jobName":"a","inputTopic":null,"numMappers":null,"numReducers":null,"mapFunction":null,
                 "reduceFunction":null,"parameters":null,"combiner":null}""");

        assertThat(request)
                .isEqualTo(new JobRequest("a", "application-logs", 4, 2, "WORD_COUNT", "SUM", Map.of(), true));
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedOnceNotAgainAsMissing() {
        assertThat(errors("{\"jobName\":123}"))
                .containsExactly(new FieldError("jobName", "must be a string, not a number"));
    }

    @Test
    void aNumberBeyondIntIsOutOfRangeNotOfTheWrongType() {
        assertThat(errors("{\"jobName\":\"a\",\"numReducers\":-3000000000}"))
                .containsExactly(new FieldError("numReducers", "must be between 1 and " + JobRequest.MAX_REDUCERS));
    }

    @Test
    void aTypoInAFieldNameSuggestsTheField() {
        assertThat(errors("{\"jobName\":\"a\",\"NumReducer\":2,\"mapfunction\":\"SUM\"}"))
                .containsExactly(
                        new FieldError("NumReducer", "is not a job field; did you mean numReducers?"),
                        new FieldError("mapfunction", "is not a job field; did you mean mapFunction?"));
    }

    @Test
    void anUnknownFieldListsTheFields() {
        assertThat(errors("{\"jobName\":\"a\",\"priority\":1}"))
                .containsExactly(new FieldError(
                        "priority",
                        "is not a job field; the fields are jobName, inputTopic, numMappers, numReducers,"
                                + " mapFunction, reduceFunction, parameters, combiner"));
    }

    @Test
    void eachParameterThatIsNotAStringIsNamed() {
        assertThat(
                        errors(
                                """
                        {"jobName":"a","mapFunction":"ERROR_PATTERN",
                         "parameters":{"pattern.A":"a+","pattern.B":null,"pattern.C":{"x":1}}}"""))
                .containsExactly(
                        new FieldError("parameters.pattern.B", "must be a string, not null"),
                        new FieldError("parameters.pattern.C", "must be a string, not an object"));
    }

    @Test
    void malformedJsonIsDescribedWithoutJacksonInternals() {
        InvalidJobRequestException e = invalid("{\"parameters\":{\"a\":[1,");

        assertThat(e.getBody().getDetail())
                .startsWith("the request body is not valid JSON: Unexpected end-of-input")
                .endsWith("(line 1, column 23)")
                .doesNotContain("REDACTED", "StreamReadFeature");
        assertThat(e.errors()).isEmpty();
    }

    @Test
    void contentAfterTheObjectIsRejected() {
        assertThat(invalid("{\"jobName\":\"a\"}\n{\"jobName\":\"b\"}").getBody().getDetail())
                .isEqualTo("the request body has more after its JSON object (line 2, column 1)");
    }

    @Test
    void aDuplicateFieldIsRejectedByName() {
        assertThat(invalid("{\"jobName\":\"a\",\"jobName\":\"b\"}").getBody().getDetail())
                .contains("Duplicate Object property \"jobName\"");
    }

    private static JobRequest read(String body) {
        return JobRequestReader.read(body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<FieldError> errors(String body) {
        return invalid(body).errors();
    }

    private static InvalidJobRequestException invalid(String body) {
        return catchThrowableOfType(InvalidJobRequestException.class, () -> read(body));
    }
}
