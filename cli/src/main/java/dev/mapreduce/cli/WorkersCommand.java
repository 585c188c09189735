package dev.mapreduce.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code mr workers}: the map and reduce workers the coordinator knows. */
@Command(
        name = "workers",
        mixinStandardHelpOptions = true,
        description = "Lists the workers: type, status, last heartbeat and running tasks.")
final class WorkersCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the answer as the gateway sends it (JSON).")
    boolean json;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(gateway.client().getText("/api/workers").strip());
            out.flush();
            return 0;
        }
        JsonNode answer = gateway.client().get("/api/workers");
        Table table = new Table("WORKER", "TYPE", "STATUS", "HEARTBEAT>", "RUNNING TASKS>", "FIRST SEEN");
        for (JsonNode worker : answer.path("workers")) {
            JsonNode age = worker.path("heartbeatAgeMs");
            table.row(
                    Text.field(worker, "workerId"),
                    Text.field(worker, "type"),
                    Text.field(worker, "status"),
                    age.isNumber() ? Text.duration(Duration.ofMillis(age.asLong())) + " ago" : null,
                    Text.number(worker.path("runningTasks")),
                    Text.instant(worker, "firstSeen"));
        }
        if (table.isEmpty()) {
            out.println("no workers");
        } else {
            table.print(out);
        }
        out.flush();
        return 0;
    }
}
