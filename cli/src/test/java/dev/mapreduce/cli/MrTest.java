package dev.mapreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MrTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int mr(String... args) {
        return Mr.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path logs() throws IOException {
        Path input = dir.resolve("logs.jsonl");
        Files.writeString(
                input,
                """
                {"timestamp":"2026-11-20T00:00:00Z","level":"INFO","service":"api","message":"Hello hello world"}
                not a log line
                2026-11-20T00:00:01Z ERROR [db] db-1 abc - Connection timeout after 30 ms

                {"timestamp":"2026-11-20T00:00:02Z","level":"WARN","service":"api","message":"world"}
                """);
        return input;
    }

    @Test
    void localWritesANulInAKeyAsTheSymbolForNullAsTheClusterStoresIt() throws IOException {
        Path input = dir.resolve("nul.jsonl");
        Files.writeString(
                input,
                """
                {"timestamp":"2026-11-20T00:00:00Z","level":"INFO","service":"a\\u0000b","message":"m"}
                {"timestamp":"2026-11-20T00:00:01Z","level":"INFO","service":"a\\u0000b","message":"m"}
                """);
        Path output = dir.resolve("out.tsv");
        int code = mr(
                "local",
                "--input",
                input.toString(),
                "--map",
                "SERVICE_DISTRIBUTION",
                "--reduce",
                "SUM",
                "--output",
                output.toString());
        assertThat(code).isZero();
        assertThat(Files.readString(output)).isEqualTo("a␀b\t2\n");
    }

    @Test
    void localWritesSortedKeyValueLinesAndCountersToStderr() throws IOException {
        Path output = dir.resolve("out.tsv");
        int code = mr(
                "local",
                "--input",
                logs().toString(),
                "--map",
                "WORD_COUNT",
                "--reduce",
                "SUM",
                "--reducers",
                "4",
                "--output",
                output.toString());
        assertThat(code).isZero();
        assertThat(Files.readString(output))
                .isEqualTo(
                        """
                30\t1
                after\t1
                connection\t1
                hello\t2
                ms\t1
                timeout\t1
                world\t2
                """);
        assertThat(err.toString())
                .contains("recordsRead              5")
                .contains("malformedRecords         2")
                .contains("mapOutputRecords         9");
    }

    @Test
    void otherFunctionsAndOptionsWork() throws IOException {
        Path output = dir.resolve("out.tsv");
        assertThat(mr(
                        "local",
                        "-i",
                        logs().toString(),
                        "-m",
                        "service_distribution",
                        "-r",
                        "count",
                        "--threads",
                        "1",
                        "--mappers",
                        "3",
                        "--combiner",
                        "false",
                        "-o",
                        output.toString()))
                .isZero();
        assertThat(Files.readString(output)).isEqualTo("api\t2\ndb\t1\n");
        assertThat(mr(
                        "local",
                        "-i",
                        logs().toString(),
                        "-m",
                        "ERROR_PATTERN",
                        "--pattern",
                        "SLOWDB=after ([0-9]+) ms",
                        "-o",
                        output.toString()))
                .isZero();
        assertThat(Files.readString(output)).isEqualTo("CONNECTION_FAILURE\t1\nSLOWDB:30\t1\nTIMEOUT\t1\n");
    }

    private Path accessLog() throws IOException {
        Path input = dir.resolve("access.log");
        Files.writeString(
                input,
                """
                203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] "GET /cart HTTP/1.1" 200 2326 "-" "curl/8"
                203.0.113.9 - - [10/Oct/2026:13:55:37 -0700] "GET /cart HTTP/1.1" 200 100 "-" "curl/8"
                198.51.100.2 - bob [10/Oct/2026:13:55:38 -0700] "POST /api/orders HTTP/1.1" 503 - "-" "Go-http-client/1.1"
                a line that is not one
                """);
        return input;
    }

    @Test
    void localReadsOtherFormatsWithFunctionParametersAndRenamedFields() throws IOException {
        Path output = dir.resolve("out.tsv");
        Path log = accessLog();
        assertThat(mr(
                        "local",
                        "-i",
                        log.toString(),
                        "--format",
                        "apache_combined",
                        "-m",
                        "COUNT_BY",
                        "-p",
                        "field=status",
                        "-o",
                        output.toString()))
                .as(err.toString())
                .isZero();
        assertThat(Files.readString(output)).isEqualTo("200\t2\n503\t1\n");
        assertThat(err.toString())
                .contains("malformedRecords         1")
                .contains("malformed: " + log + " at byte "
                        + Files.readString(log).indexOf("a line")
                        + ": no [time] after the user: \"a line that is not one\"")
                .contains("format                   apache_combined");
        assertThat(mr(
                        "local",
                        "-i",
                        log.toString(),
                        "-f",
                        "apache_combined",
                        "-m",
                        "VALUE_BY",
                        "-p",
                        "key=path",
                        "-p",
                        "value=bytes",
                        "-o",
                        output.toString()))
                .isZero();
        assertThat(Files.readString(output)).isEqualTo("/cart\t2426\n");
        Path spec = dir.resolve("format.json");
        Files.writeString(spec, "{\"type\":\"apache_combined\",\"fields\":{\"service\":\"user\"}}");
        assertThat(mr(
                        "local",
                        "-i",
                        log.toString(),
                        "--format",
                        "@" + spec,
                        "--field-map",
                        "message=request",
                        "-m",
                        "WORD_COUNT",
                        "-o",
                        output.toString()))
                .isZero();
        assertThat(Files.readString(output)).isEqualTo("1\t6\napi\t1\ncart\t2\nget\t2\nhttp\t3\norders\t1\npost\t1\n");
        assertThat(mr(
                        "local",
                        "-i",
                        log.toString(),
                        "--format",
                        "@" + spec,
                        "-m",
                        "SERVICE_DISTRIBUTION",
                        "-o",
                        output.toString()))
                .isZero();
        assertThat(Files.readString(output)).isEqualTo("-\t2\nbob\t1\n");
    }

    @Test
    void aWrongFormatFailsWithOneLineNamingTheFormatASampleAndWhy() throws IOException {
        assertThat(mr(
                        "local",
                        "-i",
                        logs().toString(),
                        "--format",
                        "syslog_rfc5424",
                        "-m",
                        "COUNT_BY",
                        "-p",
                        "field=host"))
                .isEqualTo(1);
        assertThat(err.toString().strip())
                .startsWith("mr: 5 of 5 records (100.0%) are not in format syslog_rfc5424, more than"
                        + " maxMalformedRatio 0.5 allows; first: ")
                .contains("at byte 0: no <PRI> (0 to 191) at the start: \"{\\\"timestamp\\\":")
                .doesNotContain("\n");
    }

    @Test
    void badFormatsAreUsageErrorsNamingEveryProblem() throws IOException {
        assertThat(mr("local", "-i", logs().toString(), "--format", "nginx")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown format 'nginx'; formats: default, json, logfmt, regex, grok");
        err.getBuffer().setLength(0);
        assertThat(mr(
                        "local",
                        "-i",
                        logs().toString(),
                        "--format",
                        "{\"type\":\"grok\",\"pattern\":\"%{NOPE:x} %{ALSO_NOPE}\"}"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("unknown grok pattern 'NOPE'").contains("unknown grok pattern 'ALSO_NOPE'");
        err.getBuffer().setLength(0);
        assertThat(mr("local", "-i", logs().toString(), "--format", "{\"type\":\"json\",\"colour\":1}"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("--format is not a format description")
                .contains("colour");
        err.getBuffer().setLength(0);
        assertThat(mr("local", "-i", logs().toString(), "--format", "apache_common", "-m", "WORD_COUNT"))
                .isEqualTo(2);
        assertThat(err.toString())
                .contains("WORD_COUNT reads the field 'message', which format apache_common does not have");
        err.getBuffer().setLength(0);
        assertThat(mr("local", "-i", logs().toString(), "-m", "COUNT_BY")).isEqualTo(2);
        assertThat(err.toString()).contains("COUNT_BY needs the parameter 'field'");
        err.getBuffer().setLength(0);
        assertThat(mr("local", "-i", logs().toString(), "--max-malformed-ratio", "2"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--max-malformed-ratio must be between 0 and 1");
    }

    @Test
    void previewShowsEachLinesFieldsOrWhyItIsMalformed() throws IOException {
        assertThat(mr(
                        "local",
                        "-i",
                        accessLog().toString(),
                        "--format",
                        "apache_combined",
                        "--preview",
                        "--preview-lines",
                        "4"))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .startsWith("format apache_combined: 3 of 4 records parsed\n")
                .contains(
                        "line 1: client=\"203.0.113.9\" ident=\"-\" user=\"-\" timestamp=\"10/Oct/2026:13:55:36 -0700\""
                                + " request=\"GET /cart HTTP/1.1\" method=\"GET\" path=\"/cart\" protocol=\"HTTP/1.1\""
                                + " status=\"200\" bytes=\"2326\" referrer=\"-\" user_agent=\"curl/8\" @2026-10-10T20:55:36Z\n")
                .contains("line 3: ")
                .contains("line 4: no [time] after the user: \"a line that is not one\"");
    }

    @Test
    void helpDocumentsEveryOptionAndFunction() {
        assertThat(mr("local", "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "--input",
                        "--map",
                        "--reduce",
                        "--mappers",
                        "--reducers",
                        "--threads",
                        "--combiner",
                        "--pattern",
                        "--output",
                        "--sort-buffer-mb")
                .contains("WORD_COUNT", "SERVICE_DISTRIBUTION", "LEVEL_COUNT", "ERROR_PATTERN", "LATENCY")
                .contains("SUM", "COUNT", "MIN", "MAX", "AVG")
                .contains("HTTP_5XX", "CONNECTION_FAILURE");
    }

    /** Each run makes only the command it names; the usage, help and completion still know every command. */
    @Test
    void everyCommandIsReachableAndListedThoughOnlyTheNamedOneIsMade() {
        Mr.SUBCOMMANDS.forEach((name, command) -> assertThat(
                        command.getAnnotation(picocli.CommandLine.Command.class).name())
                .isEqualTo(name));
        for (String name : Mr.SUBCOMMANDS.keySet()) {
            out.getBuffer().setLength(0);
            assertThat(mr(name, "--help")).as(name).isZero();
            assertThat(out.toString()).as(name).contains("Usage: mr " + name);
        }
        for (String[] args : new String[][] {{"--help"}, {"help"}, {}}) {
            out.getBuffer().setLength(0);
            mr(args);
            assertThat(out.toString()).as(String.join(" ", args)).contains(Mr.SUBCOMMANDS.keySet());
        }
        out.getBuffer().setLength(0);
        assertThat(mr("help", "query")).isZero();
        assertThat(out.toString()).startsWith("Usage: mr query");
        out.getBuffer().setLength(0);
        assertThat(mr("generate-completion")).isZero();
        assertThat(out.toString()).contains("function _picocli_mr_local()", "function _picocli_mr_query()");
        assertThat(mr("locale", "-i", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched arguments from index 0: 'locale'");
    }

    @Test
    void badArgumentsPrintOneClearLineAndExitNonZero() throws IOException {
        String input = logs().toString();
        assertOneLineError(mr("local", "-i", input, "-m", "WORDS"), "unknown map function 'WORDS'; valid: WORD_COUNT");
        assertOneLineError(mr("local", "-i", input, "-r", "MEDIAN"), "unknown reduce function 'MEDIAN'");
        assertOneLineError(mr("local", "-i", dir.resolve("nope.jsonl").toString()), "no such file or folder");
        assertOneLineError(mr("local", "-i", input, "--reducers", "0"), "--reducers must be at least 1, got 0");
        assertOneLineError(mr("local", "-i", input, "--mappers", "x"), "Invalid value for option '--mappers'");
        assertOneLineError(mr("local"), "Missing required option: '--input=PATH'");
        assertOneLineError(
                mr("local", "-i", input, "-m", "ERROR_PATTERN", "--pattern", "X=(a"),
                "pattern 'X' is not a valid RE2 regular expression");
    }

    @Test
    void progressIsDrawnOnlyWhenAskedAndClearedBeforeTheCounters() throws IOException {
        String input = logs().toString();
        long size = Files.size(logs());
        Path output = dir.resolve("out.tsv");

        assertThat(mr("local", "-i", input, "-o", output.toString())).isZero();
        assertThat(mr(
                        "local",
                        "-i",
                        input,
                        "--no-progress",
                        "--sql",
                        "SELECT count(*) AS n FROM logs",
                        "-o",
                        output.toString()))
                .isZero();
        assertThat(err.toString()).as("quiet unless asked: no terminal here").doesNotContain("\r");
        err.getBuffer().setLength(0);

        assertThat(mr("local", "-i", input, "--progress", "-o", output.toString()))
                .isZero();
        String drawn = err.toString();
        assertThat(drawn).startsWith("\rmr local: 0 B of " + size + " B (0%), 0 lines");
        String counters = drawn.substring(drawn.lastIndexOf('\r') + 1);
        assertThat(counters).startsWith("mr local: WORD_COUNT/SUM, ");
        String cleared = drawn.substring(drawn.lastIndexOf('\r', drawn.lastIndexOf('\r') - 1));
        assertThat(cleared.substring(0, cleared.indexOf("mr local: WORD_COUNT")))
                .isBlank();
        err.getBuffer().setLength(0);

        assertThat(mr(
                        "local",
                        "-i",
                        input,
                        "--progress",
                        "--sql",
                        "SELECT count(*) AS n FROM logs",
                        "-o",
                        output.toString()))
                .isZero();
        assertThat(err.toString())
                .startsWith("\rmr local: 0 B of " + size + " B (0%), 0 lines")
                .contains("\rmr local: query, 1 rows");
        assertThat(Files.readString(output)).isEqualTo("n\n3\n");
    }

    private void assertOneLineError(int code, String message) {
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("mr: ").contains(message);
        assertThat(err.toString().strip().lines()).hasSize(1);
        err.getBuffer().setLength(0);
    }
}
