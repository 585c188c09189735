package dev.mapreduce.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * A command that shows one GET of the gateway: as the gateway sends it with {@code --json}, else as
 * {@link #print} lays it out ({@code mr functions}, {@code mr workers}, {@code mr inputs}).
 */
abstract class GatewayListing implements Callable<Integer> {

    private final String path;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print the answer as the gateway sends it (JSON).")
    boolean json;

    @Mixin
    GatewayOptions gateway;

    GatewayListing(String path) {
        this.path = path;
    }

    /** Lays the gateway's answer out for a reader. */
    abstract void print(JsonNode answer, PrintWriter out);

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(gateway.client().getText(path).strip());
        } else {
            print(gateway.client().get(path), out);
        }
        out.flush();
        return 0;
    }
}
