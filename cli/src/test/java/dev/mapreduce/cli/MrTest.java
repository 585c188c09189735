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

    private void assertOneLineError(int code, String message) {
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("mr: ").contains(message);
        assertThat(err.toString().strip().lines()).hasSize(1);
        err.getBuffer().setLength(0);
    }
}
