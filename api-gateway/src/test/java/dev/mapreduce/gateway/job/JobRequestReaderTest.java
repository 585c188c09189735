package dev.mapreduce.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mapreduce.protocol.JobRequest;
import dev.mapreduce.protocol.JobRequest.FieldError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRequestReaderTest {

    @Test
    void theSeedBodyReadsAsItsJobWithoutDefaultsWhichAreTheCoordinators() {
        JobRequest request = read(
                """
                {"jobName":"word-count-analysis","inputTopic":"application-logs","numMappers":4,"numReducers":2,
                 "mapFunction":"WORD_COUNT","reduceFunction":"SUM"}""");

        assertThat(request)
                .isEqualTo(new JobRequest(
                        "word-count-analysis", "application-logs", 4, 2, "WORD_COUNT", "SUM", null, null));
    }

    @Test
    void nullFieldsAreAbsent() {
        JobRequest request = read(
                """
                {"jobName":"a","inputTopic":null,"numMappers":null,"numReducers":null,"mapFunction":null,
                 "reduceFunction":null,"parameters":null,"combiner":null}""");

        assertThat(request).isEqualTo(new JobRequest("a", null, null, null, null, null, null, null));
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
                        "is not a job field; the fields are jobName, inputTopic, inputPath, from, to, numMappers,"
                                + " numReducers, mapFunction, reduceFunction, parameters, query, combiner, format, fieldMap,"
                                + " maxMalformedRatio, requestId"));
    }

    @Test
    void aShortFieldNameIsSuggestedOnlyForACloseTypo() {
        assertThat(errors("{\"jobName\":\"a\",\"form\":\"2026-11-20T00:00:00Z\",\"ab\":1,\"To\":1}"))
                .containsExactly(
                        new FieldError("form", "is not a job field; did you mean from?"),
                        new FieldError(
                                "ab",
                                "is not a job field; the fields are jobName, inputTopic, inputPath, from, to,"
                                        + " numMappers, numReducers, mapFunction, reduceFunction, parameters, query, combiner,"
                                        + " format, fieldMap, maxMalformedRatio, requestId"),
                        new FieldError("To", "is not a job field; did you mean to?"));
    }

    @Test
    void aRequestIdIsKeptAsGivenAndOneOfTheWrongTypeIsNamed() {
        assertThat(read("{\"jobName\":\"a\",\"requestId\":\"nightly-2026-11-20\"}")
                        .requestId())
                .isEqualTo("nightly-2026-11-20");
        assertThat(errors("{\"jobName\":\"a\",\"requestId\":7}"))
                .containsExactly(new FieldError("requestId", "must be a string, not a number"));
    }

    @Test
    void aFileInputTakesNoDefaultTopic() {
        JobRequest request = read("{\"jobName\":\"files\",\"inputPath\":\"logs/2026-11-20\"}");

        assertThat(request.inputPath()).isEqualTo("logs/2026-11-20");
        assertThat(request.inputTopic()).isNull();
    }

    @Test
    void aTimeRangeIsReadAsInstantsWithAnyZoneOffset() {
        JobRequest request = read(
                """
                {"jobName":"a","inputTopic":"app","from":"2026-11-20T01:00:00+01:00","to":"2026-11-21T00:00:00.5Z"}""");

        assertThat(request.from()).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
        assertThat(request.to()).isEqualTo(Instant.parse("2026-11-21T00:00:00.500Z"));
    }

    @Test
    void timesThatAreNotInstantsAreNamedWithTheForm() {
        assertThat(errors("{\"jobName\":\"a\",\"from\":1763596800000,\"to\":\"2026-11-21\"}"))
                .containsExactly(
                        new FieldError("from", "must be a string, not a number"),
                        new FieldError(
                                "to", "must be an ISO-8601 instant with a zone offset, such as 2026-11-20T00:00:00Z"));
    }

    @Test
    void whatReadableFieldsMeanIsLeftToTheCoordinator() {
        // each of these is a 400 from the coordinator (JobRequest.validate), relayed: read here without an error
        assertThat(read("{\"jobName\":\"a\",\"inputTopic\":\"app\",\"inputPath\":\"logs\"}")
                        .inputPath())
                .isEqualTo("logs");
        assertThat(
                        read("""
                        {"jobName":"a","inputPath":"../x","from":"2026-11-20T00:00:00Z","to":"2026-11-19T00:00:00Z"}""")
                                .to())
                .isEqualTo(Instant.parse("2026-11-19T00:00:00Z"));
        assertThat(read("{\"jobName\":\" \",\"numMappers\":0,\"mapFunction\":\"NOPE\",\"requestId\":\"\"}")
                        .numMappers())
                .isZero();
    }

    @Test
    void everyFieldThatCannotBeReadIsNamedAtOnceInTheDocumentedOrder() {
        assertThat(
                        errors(
                                """
                        {"numMapper":4,"combiner":"yes","jobName":7,"inputTopic":"app","inputPath":"logs",
                         "numMappers":"4"}"""))
                .extracting(FieldError::field)
                .containsExactly("jobName", "numMappers", "combiner", "numMapper");
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

    @Test
    void aFormatOfTheWrongKindAndAFieldMapOfNonStringsAreNamedWithoutFurtherFormatErrors() {
        assertThat(
                        errors(
                                """
                        {"jobName":"a","mapFunction":"COUNT_BY","parameters":{"field":"status"},"format":[1],
                         "fieldMap":{"message":1},"maxMalformedRatio":"half"}"""))
                .containsExactly(
                        new FieldError("format", "must be a format name or a format object"),
                        new FieldError("fieldMap.message", "must be a string, not a number"),
                        new FieldError("maxMalformedRatio", "must be a number from 0 to 1, not a string"));
    }

    @Test
    void aMalformedRatioIsANumberWhoseRangeTheCoordinatorChecks() {
        assertThat(read("{\"jobName\":\"a\",\"maxMalformedRatio\":1}").maxMalformedRatio())
                .isEqualTo(1.0);
        assertThat(read("{\"jobName\":\"a\",\"maxMalformedRatio\":-0.1}").maxMalformedRatio())
                .isEqualTo(-0.1);
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
