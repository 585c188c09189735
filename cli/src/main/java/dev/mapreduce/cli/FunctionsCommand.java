package dev.mapreduce.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;

/** {@code mr functions}: the map and reduce functions the cluster offers, with their parameters. */
@Command(
        name = "functions",
        mixinStandardHelpOptions = true,
        description = "Lists the cluster's map and reduce functions, their parameters and built-in patterns.")
final class FunctionsCommand extends GatewayListing {

    FunctionsCommand() {
        super("/api/functions");
    }

    @Override
    void print(JsonNode catalogue, PrintWriter out) {
        out.println("Map functions:");
        names(catalogue.path("mapFunctions")).print(out);
        for (JsonNode function : catalogue.path("mapFunctions")) {
            String name = Text.field(function, "name");
            if (!function.path("parameters").isEmpty()) {
                out.println();
                out.println(name + " parameters (-p NAME=VALUE):");
                Table parameters = new Table("  NAME", "DEFAULT", "DESCRIPTION");
                for (JsonNode parameter : function.path("parameters")) {
                    parameters.row(
                            "  " + Text.field(parameter, "name"),
                            Text.field(parameter, "default"),
                            Text.field(parameter, "description"));
                }
                parameters.print(out);
            }
            if (!function.path("patterns").isEmpty()) {
                out.println();
                out.println(name + " built-in patterns:");
                Table patterns = new Table("  NAME", "DESCRIPTION", "REGEX");
                for (JsonNode pattern : function.path("patterns")) {
                    patterns.row(
                            "  " + Text.field(pattern, "name"),
                            Text.field(pattern, "description"),
                            Text.field(pattern, "regex"));
                }
                patterns.print(out);
            }
        }
        out.println();
        out.println("Reduce functions:");
        names(catalogue.path("reduceFunctions")).print(out);
    }

    private static Table names(JsonNode functions) {
        Table table = new Table("  NAME", "DESCRIPTION");
        for (JsonNode function : functions) {
            table.row("  " + Text.field(function, "name"), Text.field(function, "description"));
        }
        return table;
    }
}
