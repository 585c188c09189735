package dev.mapreduce.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code mr status JOB}: one job's view, readable, or raw with {@code --json}. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Shows a job: status, progress, counters, timings, error, and the SQL that reads its results.")
final class StatusCommand implements Callable<Integer> {

    private static final String[] COUNTERS = {
        "recordsRead",
        "malformedRecords",
        "mapOutputRecords",
        "combineOutputRecords",
        "shuffleBytes",
        "reduceInputRecords",
        "outputRecords"
    };

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job's id.")
    UUID jobId;

    @Option(names = "--json", description = "Print the job view as the gateway sends it.")
    boolean json;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(gateway.client().getText("/api/jobs/" + jobId).strip());
        } else {
            print(gateway.client().get("/api/jobs/" + jobId), out);
        }
        out.flush();
        return 0;
    }

    static void print(JsonNode job, PrintWriter out) {
        Lines lines = new Lines(out);
        lines.add("job", Text.field(job, "jobId"));
        lines.add("name", Text.field(job, "jobName"));
        lines.add("status", Text.field(job, "status"));
        lines.add("owner", Text.field(job, "owner"));
        lines.add("input", input(job));
        String query = Text.field(job, "query");
        if (query != null) {
            lines.add("query", query);
        } else {
            lines.add(
                    "functions",
                    "map " + Text.field(job, "mapFunction") + ", reduce " + Text.field(job, "reduceFunction")
                            + ", combiner " + (job.path("combiner").asBoolean(true) ? "on" : "off"));
        }
        lines.add("parameters", parameters(job.path("parameters")));
        lines.add("format", format(job));
        lines.add(
                "mappers", Text.number(job.path("numMappers")) + ", reducers " + Text.number(job.path("numReducers")));
        lines.add(
                "progress",
                Text.number(job.path("progress")) + "% (map " + tasks(job, "Map", "mapProgress") + ", reduce "
                        + tasks(job, "Reduce", "reduceProgress") + ")");
        lines.add("created", Text.field(job, "createdAt"));
        lines.add("started", Text.field(job, "startedAt"));
        lines.add("maps done", Text.field(job, "mapCompletedAt"));
        lines.add("completed", Text.field(job, "completedAt"));
        lines.add("duration", Text.durationMs(job, "durationMs"));
        lines.add("error", Text.field(job, "error"));
        lines.add("results", Text.field(job, "resultsQuery"));
        lines.add("", Text.field(job, "resultsUrl"));
        JsonNode counters = job.path("counters");
        if (counters.isObject()) {
            out.println("counters");
            Table table = new Table("  COUNTER", "VALUE>");
            for (String name : COUNTERS) {
                table.row("  " + name, Text.number(counters.path(name)));
            }
            table.print(out);
        }
        JsonNode samples = job.path("malformedSamples");
        int shown = 0;
        for (JsonNode sample : samples) {
            if (shown++ == 3) {
                out.println("  … " + (samples.size() - 3) + " more in the job view (mr status --json)");
                break;
            }
            out.println("  malformed: " + Text.field(sample, "where") + ": " + Text.field(sample, "reason") + ": "
                    + Text.clean(GatewayClient.json().writeValueAsString(sample.path("line"))));
        }
    }

    /** The format when it is not the default, as a name or its description, with the malformed limit. */
    private static String format(JsonNode job) {
        JsonNode format = job.path("format");
        boolean isDefault = format.isMissingNode()
                || format.isNull()
                || (format.size() == 1 && "default".equals(Text.field(format, "type")));
        JsonNode ratio = job.path("maxMalformedRatio");
        if (isDefault && (ratio.isMissingNode() || ratio.asDouble() == 0.5)) {
            return null;
        }
        String name = format.size() == 1 && format.has("type")
                ? Text.field(format, "type")
                : Text.clean(format.isObject() ? GatewayClient.json().writeValueAsString(format) : "default");
        return name + (ratio.isNumber() ? ", max malformed ratio " + ratio.asString() : "");
    }

    private static String input(JsonNode job) {
        String path = Text.field(job, "inputPath");
        if (path != null) {
            return "path " + path;
        }
        String from = Text.field(job, "from");
        String to = Text.field(job, "to");
        String records = Text.number(job.path("inputRecords"));
        return "topic " + Text.field(job, "inputTopic") + (from != null ? ", from " + from : "")
                + (to != null ? ", to " + to : "") + (records != null ? ", " + records + " records" : "");
    }

    private static String parameters(JsonNode parameters) {
        Map<String, JsonNode> entries = parameters.properties().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
        return entries.isEmpty()
                ? null
                : entries.entrySet().stream()
                        .map(e -> Text.clean(e.getKey()) + "="
                                + Text.clean(e.getValue().asString()))
                        .collect(Collectors.joining(", "));
    }

    private static String tasks(JsonNode job, String kind, String progress) {
        return Text.number(job.path("completed" + kind + "Tasks")) + "/"
                + Text.number(job.path("total" + kind + "Tasks")) + " tasks, " + Text.percent(job, progress) + "%";
    }

    /** Label and value lines, values aligned; a line whose value is null is left out. */
    private record Lines(PrintWriter out) {
        void add(String label, String value) {
            if (value != null) {
                out.printf("%-11s %s%n", label, value);
            }
        }
    }
}
