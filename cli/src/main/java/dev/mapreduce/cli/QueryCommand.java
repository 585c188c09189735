package dev.mapreduce.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
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
            names = {"-n", "--name"},
            paramLabel = "NAME",
            defaultValue = "query",
            description = "Job name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--csv", description = "RFC 4180 CSV with a header instead of TSV.")
    boolean csv;

    @Option(names = "--json", description = "One JSON object per row instead of TSV.")
    boolean json;

    @Mixin
    JobOptions job;

    @Mixin
    FollowOptions follow;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() throws IOException {
        if (csv && json) {
            throw new ParameterException(spec.commandLine(), "choose one of --csv and --json");
        }
        follow.validate();
        GatewayClient client = gateway.client();
        String jobId = Text.field(client.post("/api/jobs", body()), "jobId");
        if (jobId == null) {
            throw new IllegalStateException("the gateway accepted the job but its answer names no jobId");
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("mr: query job " + jobId);
        err.flush();
        if (follow.untilCompleted(client, jobId) == null) {
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
        job.putInto(body);
        return body;
    }
}
