package dev.mapreduce.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mr query "SELECT ..."}: submits a query job to the cluster through the gateway (as
 * {@code mr submit} does a job of functions), follows it to its end and prints its rows with
 * their named columns, as {@code mr local --sql} prints them.
 */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a SQL query over the table logs on the cluster and prints its rows.",
            "",
            "The columns of logs are the fields of the input's format (docs/sql.md). Submits a query job through the"
                    + " gateway, follows it (progress on stderr) and prints its rows in the query's ORDER BY: TSV"
                    + " with a header by default, --csv or --json. A query that cannot run is one line naming where"
                    + " (exit status 2); a job that FAILED or was CANCELLED exits 1.",
        })
final class QueryCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "SQL",
            description = "The query, e.g. \"SELECT level, count(*) FROM logs GROUP BY level\".")
    String sql;

    @ArgGroup(exclusive = true)
    Input input;

    static final class Input {
        @Option(
                names = {"-i", "--input"},
                paramLabel = "PATH",
                description = "File or folder under the cluster's input root.")
        String path;

        @Option(
                names = {"-t", "--topic"},
                paramLabel = "TOPIC",
                description = "Kafka topic to read instead (default application-logs).")
        String topic;
    }

    @Option(
            names = {"-f", "--format"},
            paramLabel = "NAME|JSON|@FILE",
            description = "Input format: a format or preset name, a format description in JSON, or @file.json"
                    + " (default: default).")
    String format;

    @Option(
            names = {"-n", "--name"},
            paramLabel = "NAME",
            defaultValue = "query",
            description = "Job name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--mappers", paramLabel = "N", description = "Map tasks, 1-1024 (default 4).")
    Integer mappers;

    @Option(names = "--reducers", paramLabel = "N", description = "Reduce partitions, 1-1024 (default 2).")
    Integer reducers;

    @Option(
            names = "--max-malformed-ratio",
            paramLabel = "R",
            description = "Fail the job when more than this share of its records is malformed (default 0.5).")
    Double maxMalformedRatio;

    @Option(names = "--csv", description = "RFC 4180 CSV with a header instead of TSV.")
    boolean csv;

    @Option(names = "--json", description = "One JSON object per row instead of TSV.")
    boolean json;

    @Option(
            names = "--progress",
            defaultValue = "auto",
            paramLabel = "STYLE",
            description = "'bar', 'lines' or 'auto' (default: bar on a terminal).")
    String progress;

    @Option(
            names = "--poll-interval",
            defaultValue = "400",
            paramLabel = "MS",
            description = "Milliseconds between two looks at the job (default ${DEFAULT-VALUE}).")
    long pollMillis;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() throws IOException {
        if (csv && json) {
            throw new ParameterException(spec.commandLine(), "choose one of --csv and --json");
        }
        if (pollMillis < 1) {
            throw new ParameterException(spec.commandLine(), "--poll-interval must be at least 1, got " + pollMillis);
        }
        JobFollower.Style style =
                switch (progress) {
                    case "auto" -> JobFollower.Style.detect();
                    case "bar" -> JobFollower.Style.BAR;
                    case "lines" -> JobFollower.Style.LINES;
                    default ->
                        throw new ParameterException(
                                spec.commandLine(), "--progress must be auto, bar or lines, got '" + progress + "'");
                };
        GatewayClient client = gateway.client();
        String jobId = Text.field(client.post("/api/jobs", body()), "jobId");
        if (jobId == null) {
            throw new IllegalStateException("the gateway accepted the job but its answer names no jobId");
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("mr: query job " + jobId);
        err.flush();
        JsonNode job =
                new JobFollower(client, err, style, Duration.ofMillis(pollMillis)).follow(UUID.fromString(jobId));
        String status = Text.field(job, "status");
        if (!"COMPLETED".equals(status)) {
            String error = Text.field(job, "error");
            err.println("mr: job " + jobId + " " + status + (error != null ? ": " + error : ""));
            err.flush();
            return 1;
        }
        JsonNode results = client.get("/api/jobs/" + jobId + "/results");
        PrintWriter out = spec.commandLine().getOut();
        print(results, csv ? SqlLocal.Style.CSV : json ? SqlLocal.Style.JSON : SqlLocal.Style.TSV, out);
        out.flush();
        return 0;
    }

    /** A query job's results (columns, then rows of named values) as {@code mr local --sql} prints rows. */
    static void print(JsonNode results, SqlLocal.Style style, PrintWriter out) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : results.path("columns")) {
            names.add(c.path("name").stringValue());
        }
        if (style != SqlLocal.Style.JSON) {
            List<String> header = new ArrayList<>();
            names.forEach(n -> header.add(style == SqlLocal.Style.CSV ? SqlLocal.csv(n) : SqlLocal.tsv(n)));
            out.print(String.join(style == SqlLocal.Style.CSV ? "," : "\t", header));
            out.print('\n');
        }
        for (JsonNode row : results.path("results")) {
            if (style == SqlLocal.Style.JSON) {
                out.print(GatewayClient.json().writeValueAsString(row));
                out.print('\n');
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String n : names) {
                JsonNode v = row.path(n);
                String text = v.isNull() || v.isMissingNode()
                        ? ""
                        : v.isNumber() ? v.decimalValue().toString() : v.isBoolean() ? v.toString() : v.stringValue();
                cells.add(style == SqlLocal.Style.CSV ? SqlLocal.csv(text) : SqlLocal.tsv(text));
            }
            out.print(String.join(style == SqlLocal.Style.CSV ? "," : "\t", cells));
            out.print('\n');
        }
    }

    private ObjectNode body() throws IOException {
        ObjectNode body = GatewayClient.json().createObjectNode();
        body.put("jobName", name);
        body.put("query", sql);
        if (input != null && input.path != null) {
            body.put("inputPath", input.path);
        }
        if (input != null && input.topic != null) {
            body.put("inputTopic", input.topic);
        }
        if (mappers != null) {
            body.put("numMappers", mappers);
        }
        if (reducers != null) {
            body.put("numReducers", reducers);
        }
        if (maxMalformedRatio != null) {
            body.put("maxMalformedRatio", maxMalformedRatio);
        }
        if (format != null) {
            String value = format;
            if (value.startsWith("@")) {
                Path file = Path.of(value.substring(1));
                if (!Files.isRegularFile(file)) {
                    throw new NoSuchFileException(file.toString());
                }
                value = Files.readString(file);
            }
            if (value.strip().startsWith("{")) {
                try {
                    body.set("format", GatewayClient.json().readTree(value));
                } catch (JacksonException e) {
                    throw new ParameterException(
                            spec.commandLine(), "--format is not valid JSON: " + e.getOriginalMessage());
                }
            } else {
                body.put("format", value.strip());
            }
        }
        return body;
    }
}
