package dev.mapreduce.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code mr results JOB}: a completed job's rows, as a table or as CSV streamed straight through. */
@Command(
        name = "results",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Prints a COMPLETED job's results: a table of the first rows, or with --csv every row (or --limit of"
                    + " them) as CSV, passed through as it arrives so that a million rows never sit in memory.",
        })
final class ResultsCommand implements Callable<Integer> {

    /** A table is for reading; a whole job's output belongs in --csv. */
    static final int TABLE_LIMIT = 20;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "JOB", description = "The job's id.")
    UUID jobId;

    @Option(
            names = "--limit",
            paramLabel = "N",
            description = "Rows to print (default " + TABLE_LIMIT + " for the table, every row with --csv).")
    Integer limit;

    @Option(names = "--offset", defaultValue = "0", paramLabel = "N", description = "Rows to skip (default 0).")
    long offset;

    @Option(
            names = "--order",
            paramLabel = "ORDER",
            description = "value_desc (value descending, then key; the default) or key (ascending, byte order);"
                    + " a query job's rows always come in its ORDER BY.")
    String order;

    @Option(names = "--csv", description = "Write CSV (a key,value header, then one line per row) to stdout.")
    boolean csv;

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() throws IOException {
        if (limit != null && limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        if (offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset must be at least 0, got " + offset);
        }
        if (order != null && !order.equals("value_desc") && !order.equals("key")) {
            throw new ParameterException(spec.commandLine(), "--order must be value_desc or key, got '" + order + "'");
        }
        Map<String, Object> query = new LinkedHashMap<>();
        Integer rows = limit != null || csv ? limit : Integer.valueOf(TABLE_LIMIT);
        query.put("limit", rows);
        query.put("offset", offset == 0 ? null : offset);
        query.put("order", order);
        String path = GatewayClient.query("/api/jobs/" + jobId + "/results", query);
        PrintWriter out = spec.commandLine().getOut();
        if (csv) {
            try (InputStream body = gateway.client().open(path, "text/csv")) {
                copy(new InputStreamReader(body, StandardCharsets.UTF_8), out);
            }
        } else {
            printTable(gateway.client().get(path), out);
        }
        return 0;
    }

    /** The rows of a results answer as a ranked table; the rank counts from the answer's offset. */
    static void printTable(JsonNode answer, PrintWriter out) {
        if (answer.has("columns")) {
            printQueryTable(answer, out);
            return;
        }
        long rank = answer.path("offset").asLong(0);
        Table table = new Table("#>", "KEY", "VALUE>");
        for (JsonNode row : answer.path("results")) {
            table.row(++rank, Text.field(row, "key"), Text.exact(row.path("value")));
        }
        if (table.isEmpty()) {
            out.println("(no rows)");
            out.flush();
        } else {
            table.print(out);
        }
    }

    /** A query job's rows as a table of its named columns, numbers right-aligned; NULL is empty. */
    private static void printQueryTable(JsonNode answer, PrintWriter out) {
        List<String> names = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        for (JsonNode c : answer.path("columns")) {
            String name = c.path("name").stringValue();
            String type = c.path("type").stringValue();
            names.add(name);
            headers.add(name + ("BIGINT".equals(type) || "DOUBLE".equals(type) ? ">" : ""));
        }
        Table table = new Table(headers.toArray(String[]::new));
        for (JsonNode row : answer.path("results")) {
            Object[] cells = new Object[names.size()];
            for (int i = 0; i < cells.length; i++) {
                JsonNode v = row.path(names.get(i));
                cells[i] = v.isNumber() ? Text.exact(v) : Text.field(row, names.get(i));
            }
            table.row(cells);
        }
        if (table.isEmpty()) {
            out.println("(no rows)");
            out.flush();
        } else {
            table.print(out);
        }
    }

    /** Chunk by chunk, flushed as it goes; stops early when stdout is gone ({@code mr results --csv | head}). */
    private static void copy(Reader in, PrintWriter out) {
        char[] buffer = new char[16 * 1024];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                out.write(buffer, 0, n);
                if (out.checkError()) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the results stream broke off: " + e.getMessage(), e);
        }
        out.flush();
    }
}
