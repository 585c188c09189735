package dev.mapreduce.cli;

import dev.mapreduce.engine.format.Formats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The options {@code mr submit} and {@code mr query} share about the job to submit: its format, its
 * tasks, its malformed-record limit and its idempotency key. Each is sent only when given, so that
 * the coordinator's defaults apply to the rest.
 */
final class JobOptions {

    static {
        System.setProperty("mr.formats", String.join(", ", Formats.names()));
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = {"-f", "--format"},
            paramLabel = "NAME|JSON|@FILE",
            description = "Input format: a format or preset name (${sys:mr.formats}), a format description in JSON"
                    + " ('{\"type\":\"json\",\"timestamp\":{\"field\":\"ts\"}}'), or @file.json holding one"
                    + " (default: default; see docs/formats.md). The gateway checks it and names every problem.")
    String format;

    @Option(names = "--mappers", paramLabel = "N", description = "Map tasks, 1-1024 (default 4).")
    Integer mappers;

    @Option(names = "--reducers", paramLabel = "N", description = "Reduce partitions, 1-1024 (default 2).")
    Integer reducers;

    @Option(
            names = "--max-malformed-ratio",
            paramLabel = "R",
            description = "Fail the job when more than this share of its records is malformed, 0 to 1 (default 0.5).")
    Double maxMalformedRatio;

    @Option(
            names = "--request-id",
            paramLabel = "KEY",
            description = "An idempotency key (1 to 100 characters): submitting again with the same key gives the job"
                    + " the first submit made instead of a second one, so a submit that timed out can be retried.")
    String requestId;

    /** Adds the options given to a POST /api/jobs body. */
    void putInto(ObjectNode body) throws IOException {
        if (format != null) {
            body.set("format", formatNode());
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
        if (requestId != null) {
            body.put("requestId", requestId);
        }
    }

    /**
     * {@code --format} as the request's {@code format}: a name as a string, a description (given or in a file) as
     * the JSON it is, unchecked here, so that the gateway names everything wrong in it at once.
     */
    private JsonNode formatNode() throws IOException {
        String value = format;
        String where = "--format";
        if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            value = Files.readString(file);
            where = "--format " + format;
        }
        if (!value.strip().startsWith("{")) {
            if (value.isBlank()) {
                throw new ParameterException(
                        command.commandLine(), where + " is empty: give a format name or description");
            }
            return GatewayClient.json().getNodeFactory().stringNode(value.strip());
        }
        try {
            return GatewayClient.json().readTree(value);
        } catch (JacksonException e) {
            throw new ParameterException(
                    command.commandLine(), where + " is not a format description: " + e.getOriginalMessage());
        }
    }
}
