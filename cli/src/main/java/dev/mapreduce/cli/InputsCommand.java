package dev.mapreduce.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code mr inputs}: the topics, folders and object prefixes the caller's jobs may read. */
@Command(
        name = "inputs",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the inputs your jobs may read: topic patterns, folders under the input root and s3:// prefixes.",
            "A job over anything else is answered as one over a missing input."
        })
final class InputsCommand implements Callable<Integer> {

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
            out.println(gateway.client().getText("/api/inputs").strip());
            out.flush();
            return 0;
        }
        JsonNode answer = gateway.client().get("/api/inputs");
        String tenant = Text.field(answer, "tenant");
        if (answer.path("all").asBoolean(false)) {
            out.println("tenant " + tenant + " may read every input");
            out.flush();
            return 0;
        }
        Table table = new Table("KIND", "GRANT");
        for (String[] kind : new String[][] {{"topics", "topic"}, {"paths", "path"}, {"objects", "s3"}}) {
            for (JsonNode grant : answer.path(kind[0])) {
                table.row(kind[1], grant.asString());
            }
        }
        if (table.isEmpty()) {
            out.println("tenant " + tenant + " may read no input");
        } else {
            out.println("tenant " + tenant + " may read:");
            table.print(out);
        }
        out.flush();
        return 0;
    }
}
