package dev.mapreduce.cli;

import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code mr workers}: the map and reduce workers the coordinator knows. */
@Command(
        name = "workers",
        mixinStandardHelpOptions = true,
        description = "Lists the workers: type, status, last heartbeat and running tasks.")
final class WorkersCommand extends GatewayListing {

    WorkersCommand() {
        super("/api/workers");
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
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
    }
}
