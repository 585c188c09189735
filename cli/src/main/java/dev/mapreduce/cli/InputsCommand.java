package dev.mapreduce.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code mr inputs}: the topics, folders and object prefixes the caller's jobs may read. */
@Command(
        name = "inputs",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the inputs your jobs may read: topic patterns, folders under the input root and s3:// prefixes.",
            "A job over anything else is answered as one over a missing input."
        })
final class InputsCommand extends GatewayListing {

    InputsCommand() {
        super("/api/inputs");
    }

    @Override
    void print(JsonNode answer, PrintWriter out) {
        String tenant = Text.field(answer, "tenant");
        if (answer.path("all").asBoolean(false)) {
            out.println("tenant " + tenant + " may read every input");
            return;
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
    }
}
