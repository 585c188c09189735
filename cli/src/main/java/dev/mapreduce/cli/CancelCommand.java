package dev.mapreduce.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code mr cancel JOB}. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancels a running job. A job that already ended is a conflict (exit status 2).")
final class CancelCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job's id.")
    UUID jobId;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() {
        JsonNode job = gateway.client().post("/api/jobs/" + jobId + "/cancel", null);
        spec.commandLine().getOut().println("job " + jobId + " " + Text.field(job, "status"));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
