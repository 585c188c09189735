package dev.mapreduce.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code mr submit}: POST /api/jobs, and with {@code --wait} follow the job to its end. */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Submits a job to the cluster and prints its id.",
            "",
            "Options left out take the coordinator's defaults (topic application-logs, 4 mappers, 2 reducers,"
                    + " WORD_COUNT, SUM, combiner on, format default, max malformed ratio 0.5). With --wait, follows the job to its end, drawing its progress"
                    + " on stderr, then prints its top results; the exit status is 0 when it COMPLETED and 1 when it"
                    + " FAILED or was CANCELLED.",
        })
final class SubmitCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-n", "--name"},
            required = true,
            paramLabel = "NAME",
            description = "Job name, 1-200 characters.")
    String name;

    @ArgGroup(exclusive = true)
    Input input;

    static final class Input {
        @Option(
                names = {"-t", "--topic"},
                paramLabel = "TOPIC",
                description = "Kafka topic to read (default application-logs).")
        String topic;

        @Option(
                names = "--path",
                paramLabel = "PATH",
                description =
                        "File or folder under the cluster's input root, or s3://bucket/prefix (a key, prefix or glob),"
                                + " instead of a topic.")
        String path;
    }

    @Option(
            names = "--from",
            paramLabel = "INSTANT",
            description = "Topic input only: first record timestamp, inclusive (e.g. 2026-11-20T00:00:00Z).")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Topic input only: end timestamp, exclusive.")
    String to;

    @Option(
            names = {"-m", "--map"},
            paramLabel = "FUNCTION",
            description = "Map function (default WORD_COUNT); 'mr functions' lists them.")
    String map;

    @Option(
            names = {"-r", "--reduce"},
            paramLabel = "FUNCTION",
            description = "Reduce function: SUM, COUNT, MIN, MAX or AVG (default SUM).")
    String reduce;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "NAME=VALUE",
            description = "A map function parameter (repeatable), e.g. -p patterns=TIMEOUT,OOM.")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--no-combiner", description = "Do not pre-aggregate map output before the shuffle.")
    boolean noCombiner;

    @Option(
            names = "--field-map",
            paramLabel = "NAME=FIELD",
            description = "Another name for a field of the format (repeatable), e.g. message=request makes WORD_COUNT"
                    + " count the words of an access log's request line.")
    Map<String, String> fieldMap = new LinkedHashMap<>();

    @Option(
            names = {"-w", "--wait"},
            description = "Follow the job until it ends, then print its top results.")
    boolean await;

    @Option(
            names = "--top",
            defaultValue = "20",
            paramLabel = "N",
            description = "With --wait: how many results to print (default ${DEFAULT-VALUE}; 0 for none).")
    int top;

    @Mixin
    JobOptions job;

    @Mixin
    FollowOptions follow;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() throws IOException {
        if (top < 0) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 0, got " + top);
        }
        follow.validate();
        GatewayClient client = gateway.client();
        JsonNode submitted = client.post("/api/jobs", body());
        String jobId = Text.field(submitted, "jobId");
        if (jobId == null) {
            throw new IllegalStateException("the gateway accepted the job but its answer names no jobId");
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(jobId);
        out.flush();
        if (!await) {
            return 0;
        }
        JsonNode job = follow.untilCompleted(client, jobId);
        if (job == null) {
            return 1;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf(
                "%s in %s: %s records read, %s malformed, %s results%n",
                Text.field(job, "status"),
                Text.durationMs(job, "durationMs"),
                Text.number(job.path("counters").path("recordsRead")),
                Text.number(job.path("counters").path("malformedRecords")),
                Text.number(job.path("counters").path("outputRecords")));
        err.flush();
        if (top > 0) {
            ResultsCommand.printTable(client.get("/api/jobs/" + jobId + "/results?limit=" + top), out);
        }
        return 0;
    }

    /** The request body: only the fields given, so that the coordinator's defaults apply to the rest. */
    private ObjectNode body() throws IOException {
        ObjectNode body = GatewayClient.json().createObjectNode();
        body.put("jobName", name);
        if (input != null && input.topic != null) {
            body.put("inputTopic", input.topic);
        }
        if (input != null && input.path != null) {
            body.put("inputPath", input.path);
        }
        putIfGiven(body, "from", from);
        putIfGiven(body, "to", to);
        putIfGiven(body, "mapFunction", map);
        putIfGiven(body, "reduceFunction", reduce);
        if (!parameters.isEmpty()) {
            ObjectNode params = body.putObject("parameters");
            parameters.forEach(params::put);
        }
        if (noCombiner) {
            body.put("combiner", false);
        }
        if (!fieldMap.isEmpty()) {
            ObjectNode fields = body.putObject("fieldMap");
            fieldMap.forEach(fields::put);
        }
        job.putInto(body);
        return body;
    }

    private static void putIfGiven(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
