package dev.mapreduce.cli;

import dev.mapreduce.engine.format.FormatException;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.ReadCounter;
import dev.mapreduce.engine.local.LocalJobRunner;
import dev.mapreduce.engine.local.LocalQueryJob;
import dev.mapreduce.engine.local.QueryResult;
import dev.mapreduce.engine.sql.FormatReader;
import dev.mapreduce.engine.sql.QueryException;
import dev.mapreduce.engine.sql.QueryRow;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.ResultColumn;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.sql.SqlType;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code mr local --sql}: a query through LocalJobRunner, its rows printed with named columns. */
final class SqlLocal {

    private SqlLocal() {}

    static int run(LocalCommand c, int mappers, int reducers, int threads) throws IOException {
        var parsed = c.spec.commandLine().getParseResult();
        for (String option : List.of("--map", "--reduce", "--pattern")) {
            if (parsed.hasMatchedOption(option)) {
                throw new ParameterException(c.spec.commandLine(), option + " does not go with --sql");
            }
        }
        if (c.csv && c.json) {
            throw new ParameterException(c.spec.commandLine(), "choose one of --csv and --json");
        }
        LogFormat format;
        try {
            format = Formats.compile(FormatOption.parse(c.format, c.fieldMap));
        } catch (FormatException e) {
            throw new ParameterException(c.spec.commandLine(), "--format: " + e.getMessage());
        }
        SqlQuery query;
        try {
            query = SqlQuery.parse(c.sql, QuerySchema.of(format));
        } catch (QueryException e) {
            throw new ParameterException(c.spec.commandLine(), "query: " + e.describe());
        }
        FileSplitter.listFiles(c.inputs);
        LocalQueryJob job = new LocalQueryJob(
                query,
                c.inputs,
                () -> FormatReader.of(query),
                mappers,
                reducers,
                c.combiner,
                c.sortBufferMb * (1L << 20),
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        QueryResult result;
        ReadCounter counter = new ReadCounter();
        try (ReadProgress shown = c.startProgress(counter)) {
            result = new LocalJobRunner(threads, shown.on() ? counter : null).runQuery(job);
        }
        Writer out = c.output == null
                ? new BufferedWriter(
                        new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8),
                        1 << 16)
                : Files.newBufferedWriter(c.output, StandardCharsets.UTF_8);
        try {
            write(result, c.csv ? Style.CSV : c.json ? Style.JSON : Style.TSV, out);
        } finally {
            out.flush();
            if (c.output != null) {
                out.close();
            }
        }
        PrintWriter err = c.spec.commandLine().getErr();
        double seconds = result.job().elapsed().toNanos() / 1e9;
        long records = result.job().counters().recordsRead();
        err.printf(
                "mr local: query, %d rows, %d map tasks, %d reduce tasks, %d threads, %.3f s, %.0f records/s%n",
                result.rows().size(),
                result.job().mapTasks(),
                result.job().reduceTasks(),
                threads,
                seconds,
                records / Math.max(seconds, 1e-9));
        result.job()
                .counters()
                .asMap()
                .forEach((k, v) ->
                        err.printf("  %-24s %s%n", k, v instanceof long[] a ? java.util.Arrays.toString(a) : v));
        err.flush();
        return 0;
    }

    enum Style {
        TSV,
        CSV,
        JSON
    }

    static void write(QueryResult result, Style style, Writer out) throws IOException {
        List<ResultColumn> columns = result.columns();
        ObjectMapper mapper = style == Style.JSON ? new ObjectMapper() : null; // making one takes 0.1 s
        if (style != Style.JSON) {
            for (int i = 0; i < columns.size(); i++) {
                out.write(i == 0 ? "" : style == Style.CSV ? "," : "\t");
                out.write(
                        style == Style.CSV
                                ? csv(columns.get(i).name())
                                : tsv(columns.get(i).name()));
            }
            out.write('\n');
        }
        for (QueryRow row : result.rows()) {
            Object[] v = row.values();
            if (style == Style.JSON) {
                ObjectNode node = mapper.createObjectNode();
                for (int i = 0; i < columns.size(); i++) {
                    Object x = v[i];
                    String name = columns.get(i).name();
                    if (x == null) {
                        node.putNull(name);
                    } else if (columns.get(i).type() == SqlType.TIMESTAMP) {
                        node.put(name, columns.get(i).text(x));
                    } else if (x instanceof Long l) {
                        node.put(name, l);
                    } else if (x instanceof Double d) {
                        node.put(name, d);
                    } else if (x instanceof Boolean b) {
                        node.put(name, b);
                    } else {
                        node.put(name, x.toString());
                    }
                }
                out.write(mapper.writeValueAsString(node));
                out.write('\n');
                continue;
            }
            for (int i = 0; i < columns.size(); i++) {
                out.write(i == 0 ? "" : style == Style.CSV ? "," : "\t");
                String t = v[i] == null ? "" : columns.get(i).text(v[i]);
                out.write(style == Style.CSV ? csv(t) : tsv(t));
            }
            out.write('\n');
        }
    }

    static String tsv(String s) {
        return s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0
                ? s
                : s.replace("\\", "\\\\")
                        .replace("\t", "\\t")
                        .replace("\n", "\\n")
                        .replace("\r", "\\r");
    }

    static String csv(String s) {
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return quote ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
