package dev.mapreduce.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code mr list}: the jobs the caller may see, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false, description = "Lists jobs, newest first.")
final class ListCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-s", "--status"},
            paramLabel = "STATUS[,STATUS…]",
            description = "Only jobs in these statuses, e.g. RUNNING,FAILED.")
    String status;

    @Option(names = "--name", paramLabel = "TEXT", description = "Only jobs whose name contains this (any case).")
    String name;

    @Option(
            names = "--limit",
            defaultValue = "20",
            paramLabel = "N",
            description = "At most N jobs, 1-200 (default 20).")
    int limit;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "N", description = "Skip the N newest (default 0).")
    int offset;

    @Option(names = "--json", description = "Print the answer as the gateway sends it (JSON).")
    boolean json;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 200) {
            throw new ParameterException(spec.commandLine(), "--limit must be between 1 and 200, got " + limit);
        }
        if (offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset must be at least 0, got " + offset);
        }
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("status", status == null ? null : status.replace(" ", "").toUpperCase(Locale.ROOT));
        query.put("name", name);
        query.put("limit", limit);
        query.put("offset", offset);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(gateway.client()
                    .getText(GatewayClient.query("/api/jobs", query))
                    .strip());
            out.flush();
            return 0;
        }
        JsonNode page = gateway.client().get(GatewayClient.query("/api/jobs", query));
        Table table = new Table(
                "JOB", "NAME", "STATUS", "PROGRESS>", "OWNER", "INPUT", "MAP", "REDUCE", "CREATED", "DURATION>");
        for (JsonNode job : page.path("jobs")) {
            String path = Text.field(job, "inputPath");
            table.row(
                    Text.field(job, "jobId"),
                    Text.field(job, "jobName"),
                    Text.field(job, "status"),
                    Text.number(job.path("progress")) + "%",
                    Text.field(job, "owner"),
                    path != null ? "path " + path : Text.field(job, "inputTopic"),
                    Text.field(job, "mapFunction"),
                    Text.field(job, "reduceFunction"),
                    Text.instant(job, "createdAt"),
                    Text.durationMs(job, "durationMs"));
        }
        long total = page.path("total").asLong(0);
        if (table.isEmpty()) {
            out.println(total == 0 ? "no jobs" : "no jobs at offset " + offset + " (" + total + " in all)");
        } else {
            table.print(out);
            out.printf(
                    "jobs %d-%d of %d%n", offset + 1, offset + page.path("jobs").size(), total);
        }
        out.flush();
        return 0;
    }
}
