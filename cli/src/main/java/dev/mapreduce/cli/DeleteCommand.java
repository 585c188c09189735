package dev.mapreduce.cli;

import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mr delete JOB}. */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = {
            "Deletes a job that ended (COMPLETED, FAILED or CANCELLED) with its tasks and results.",
            "A running job is a conflict (exit status 2): cancel it first.",
        })
final class DeleteCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job's id.")
    UUID jobId;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() {
        gateway.client().delete("/api/jobs/" + jobId);
        spec.commandLine().getOut().println("job " + jobId + " deleted");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
