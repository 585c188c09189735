package dev.mapreduce.cli;

import static dev.mapreduce.cli.ApiExamples.JOB_ID;
import static dev.mapreduce.cli.ApiExamples.job;
import static dev.mapreduce.cli.FakeGateway.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class QueryCommandTest {

    private static final String JOB = "/api/jobs/" + JOB_ID;
    private static final String SQL = "SELECT service, count(*) AS n FROM logs GROUP BY service ORDER BY n DESC";
    private static final String RESULTS =
            """
            {"jobId":"%s","columns":[{"name":"service","type":"VARCHAR"},{"name":"n","type":"BIGINT"},
             {"name":"avg","type":"DOUBLE"}],"offset":0,"results":[
             {"service":"api, gateway","n":12,"avg":0.5},{"service":"tab\\there","n":3,"avg":null}]}"""
                    .formatted(JOB_ID);

    private final FakeGateway gateway = new FakeGateway();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stopGateway() {
        gateway.close();
    }

    private int mr(String... more) {
        String[] common = {"query", "--gateway", gateway.url(), "--poll-interval", "5", "--progress", "lines"};
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return Mr.execute(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), all);
    }

    private void aCompletedJob() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)))
                .on("GET", JOB, json(200, job("COMPLETED", 100, 100, 10)))
                .on("GET", JOB + "/results", json(200, RESULTS));
    }

    @Test
    void submitsTheQueryWithItsInputAndFormatThenPrintsNamedColumnsAsTsv() {
        aCompletedJob();

        int code = mr(SQL, "--input", "logs/web", "--format", "json", "--reducers", "3", "--request-id", "q-1");

        assertThat(code).as(err.toString()).isZero();
        assertThat(JsonMapper.builder()
                        .build()
                        .readTree(gateway.requests("POST", "/api/jobs").get(0).body()))
                .isEqualTo(JsonMapper.builder()
                        .build()
                        .readTree("{\"jobName\":\"query\",\"query\":\"" + SQL + "\",\"inputPath\":\"logs/web\","
                                + "\"numReducers\":3,\"format\":\"json\",\"requestId\":\"q-1\"}"));
        assertThat(out.toString()).isEqualTo("service\tn\tavg\napi, gateway\t12\t0.5\ntab\\there\t3\t\n");
    }

    @Test
    void csvAndJsonPrintTheSameRows() {
        aCompletedJob();
        assertThat(mr(SQL, "--csv")).isZero();
        assertThat(out.toString()).isEqualTo("service,n,avg\n\"api, gateway\",12,0.5\ntab\there,3,\n");

        out.getBuffer().setLength(0);
        assertThat(mr(SQL, "--json")).isZero();
        assertThat(out.toString())
                .isEqualTo("{\"service\":\"api, gateway\",\"n\":12,\"avg\":0.5}\n"
                        + "{\"service\":\"tab\\there\",\"n\":3,\"avg\":null}\n");
    }

    @Test
    void aQueryThatCannotRunIsOneLineWithItsPositionAndExitStatus2() {
        gateway.on(
                "POST",
                "/api/jobs",
                new FakeGateway.Answer(
                        400,
                        Map.of("Content-Type", "application/problem+json"),
                        "{\"title\":\"Invalid job\",\"status\":400,\"detail\":\"query unknown table\","
                                + "\"errors\":[{\"field\":\"query\",\"message\":\"unknown table 'events'\","
                                + "\"line\":1,\"column\":21}]}",
                        null));

        assertThat(mr("SELECT service FROM events")).isEqualTo(2);
        assertThat(err.toString()).contains("query: line 1, column 21: unknown table 'events'");
    }

    @Test
    void aFailedJobExits1() {
        gateway.on("POST", "/api/jobs", json(201, job("RUNNING", 0, 0, 0)))
                .on("GET", JOB, json(200, job("FAILED", 100, 0, 10, "CAST failed")));

        assertThat(mr(SQL)).isEqualTo(1);
        assertThat(err.toString()).contains("FAILED");
    }

    @Test
    void resultsOfAQueryJobAreATableOfItsNamedColumnsAskedWithoutAnOrder() {
        gateway.on("GET", JOB + "/results", json(200, RESULTS));

        int code = Mr.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Map.of(),
                "results",
                JOB_ID,
                "--gateway",
                gateway.url());

        assertThat(code).as(err.toString()).isZero();
        assertThat(gateway.requests("GET", JOB + "/results").get(0).uri()).isEqualTo(JOB + "/results?limit=20");
        assertThat(out.toString()).contains("service", "api, gateway", "12", "0.5");
    }
}
