package dev.mapreduce.cli;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.format.Preview;
import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.engine.input.ReadCounter;
import dev.mapreduce.engine.local.JobResult;
import dev.mapreduce.engine.local.LocalJob;
import dev.mapreduce.engine.local.LocalJobRunner;
import dev.mapreduce.engine.record.ResultKeys;
import dev.mapreduce.engine.task.MalformedRecords;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mr local}: run a job on files in this process, no cluster needed. */
@Command(
        name = "local",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs a job on log files in this process, with no cluster, and writes key<TAB>value lines sorted by key"
                    + " (byte order, as LC_ALL=C sort). Counters go to stderr.",
            "",
            "Input lines are in the default format unless --format names another: JSON objects or text lines"
                    + " '<timestamp> <level> [<service>] <host> <trace> - <message>'; lines that are empty, not UTF-8,"
                    + " unparseable or missing timestamp, level, service or message are counted as malformed and"
                    + " skipped. .gz files are read whole, one split each.",
            "",
            "When more than --max-malformed-ratio of the records are malformed (a wrong format), the job fails"
                    + " with exit status 1 and one line naming the format, a sample line and why it did not parse."
                    + " --preview shows what the format makes of the first lines instead of running the job.",
        },
        footerHeading = "%nFunctions:%n")
final class LocalCommand implements Callable<Integer> {

    private static final long MIB = 1L << 20;
    private static final long SPLIT_BYTES = 64 * MIB;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-i", "--input"},
            required = true,
            paramLabel = "PATH",
            description = "Input file or folder (repeatable; a folder means the files directly in it).")
    List<Path> inputs;

    @Option(
            names = {"-m", "--map"},
            defaultValue = "WORD_COUNT",
            paramLabel = "FUNCTION",
            description = "Map function (default ${DEFAULT-VALUE}); see the list below.")
    String map;

    @Option(
            names = {"-r", "--reduce"},
            defaultValue = "SUM",
            paramLabel = "FUNCTION",
            description = "Reduce function: SUM, COUNT, MIN, MAX or AVG (default ${DEFAULT-VALUE}).")
    String reduce;

    @Option(
            names = "--mappers",
            paramLabel = "N",
            description = "Map splits to cut the input into (default: one per 64 MiB, at least one per thread).")
    Integer mappers;

    @Option(names = "--reducers", paramLabel = "N", description = "Reduce partitions (default: the number of threads).")
    Integer reducers;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Worker threads (default: the number of CPUs, here ${sys:mr.cpus}).")
    Integer threads;

    @Option(
            names = "--combiner",
            defaultValue = "true",
            arity = "1",
            paramLabel = "true|false",
            description = "Pre-aggregate map output before the shuffle (default ${DEFAULT-VALUE}).")
    boolean combiner;

    @Option(
            names = "--pattern",
            paramLabel = "NAME=REGEX",
            description = "ERROR_PATTERN only: add or replace a named pattern (RE2 syntax, repeatable).")
    Map<String, String> patterns = new LinkedHashMap<>();

    @Option(
            names = {"-p", "--parameter"},
            paramLabel = "NAME=VALUE",
            description = "A map function parameter (repeatable): COUNT_BY field=FIELD; VALUE_BY key=FIELD and"
                    + " value=FIELD.")
    Map<String, String> functionParameters = new LinkedHashMap<>();

    @Option(
            names = {"-f", "--format"},
            paramLabel = "NAME|JSON|@FILE",
            description = "Input format (with --sql, its fields are the columns of logs): a format or preset name"
                    + " (${sys:mr.formats}), a format description in JSON"
                    + " ('{\"type\":\"json\",\"timestamp\":{\"field\":\"ts\"}}'), or @file.json holding one"
                    + " (default: default; see docs/formats.md).")
    String format;

    @Option(
            names = "--field-map",
            paramLabel = "NAME=FIELD",
            description = "Another name for a field of the format (repeatable), e.g. message=request makes WORD_COUNT"
                    + " count the words of an access log's request line.")
    Map<String, String> fieldMap = new LinkedHashMap<>();

    @Option(
            names = "--max-malformed-ratio",
            paramLabel = "R",
            defaultValue = "0.5",
            description =
                    "Fail when more than this share of the records is malformed, 0 to 1 (default ${DEFAULT-VALUE}).")
    double maxMalformedRatio;

    @Option(
            names = "--preview",
            description = "Show the fields of each of the first lines (or why they are malformed) instead of running.")
    boolean preview;

    @Option(
            names = "--preview-lines",
            paramLabel = "N",
            defaultValue = "20",
            description = "Lines --preview reads (default ${DEFAULT-VALUE}).")
    int previewLines;

    @Option(
            names = "--sort-buffer-mb",
            defaultValue = "64",
            paramLabel = "MB",
            description = "Memory per map task before its output spills (default ${DEFAULT-VALUE}).")
    int sortBufferMb;

    @Option(
            names = "--sql",
            paramLabel = "QUERY",
            description = "A SQL query over the table logs instead of --map/--reduce, e.g. \"SELECT service, count(*)"
                    + " FROM logs GROUP BY service\" (see docs/sql.md). Prints named columns: TSV with a header,"
                    + " or --csv / --json.")
    String sql;

    @Option(names = "--csv", description = "With --sql: CSV (RFC 4180) with a header instead of TSV.")
    boolean csv;

    @Option(names = "--json", description = "With --sql: one JSON object per row instead of TSV.")
    boolean json;

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show the bytes and lines read, the rate and an ETA on stderr, on one line redrawn in place"
                    + " (default: only when stderr is a terminal).")
    Boolean progress;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Output file (default: standard output).")
    Path output;

    static {
        System.setProperty("mr.cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        System.setProperty("mr.formats", String.join(", ", Formats.names()));
    }

    /** The footer: every function with what it does. */
    static String functionsHelp() {
        String maps = FunctionCatalogue.mapFunctions().stream()
                .map(f -> String.format(
                        "  %-21s %s%s",
                        f.name(), f.description(), f.parameters().isEmpty() ? "" : "; parameters: " + f.parameters()))
                .collect(Collectors.joining("%n"));
        String reduces = java.util.Arrays.stream(ReduceFunction.values())
                .map(f -> String.format("  %-21s %s", f.name(), f.description()))
                .collect(Collectors.joining("%n"));
        String patterns = FunctionCatalogue.errorPatterns().stream()
                .map(p -> String.format("  %-21s %s", p[0], p[2]))
                .collect(Collectors.joining("%n"));
        return "Map:%n" + maps + "%nReduce:%n" + reduces + "%nERROR_PATTERN's built-in patterns:%n" + patterns;
    }

    @Override
    public Integer call() throws IOException {
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        requirePositive("--threads", threadCount);
        int reducerCount = reducers != null ? reducers : threadCount;
        requirePositive("--reducers", reducerCount);
        if (mappers != null) {
            requirePositive("--mappers", mappers);
        }
        requirePositive("--sort-buffer-mb", sortBufferMb);
        if (!(maxMalformedRatio >= 0 && maxMalformedRatio <= 1)) {
            throw new ParameterException(
                    spec.commandLine(), "--max-malformed-ratio must be between 0 and 1, got " + maxMalformedRatio);
        }
        FormatSpec formatSpec = FormatOption.parse(format, fieldMap);
        LogFormat logFormat = Formats.compile(formatSpec);
        if (preview) {
            requirePositive("--preview-lines", previewLines);
            return preview(logFormat);
        }
        Map<String, String> parameters = new LinkedHashMap<>(functionParameters);
        patterns.forEach((name, regex) -> parameters.put("pattern." + name, regex));
        int mapperCount = mappers != null ? mappers : defaultMappers(threadCount);
        if (sql != null) {
            return SqlLocal.run(this, mapperCount, reducerCount, threadCount);
        }
        if (csv || json) {
            throw new ParameterException(spec.commandLine(), "--csv and --json go with --sql");
        }
        LocalJob job = new LocalJob(
                        inputs, map, parameters, reduce, mapperCount, reducerCount, combiner, sortBufferMb * MIB)
                .withFormat(formatSpec)
                .withMaxMalformedRatio(maxMalformedRatio);
        // Everything that can be wrong with the job is checked before the output is touched.
        FunctionCatalogue.reduceFunction(reduce);
        FunctionCatalogue.checkFields(map, FunctionCatalogue.mapFunction(map, parameters), logFormat);
        FileSplitter.listFiles(inputs);
        JobResult result;
        if (output == null) {
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
            result = run(job, threadCount, out);
            out.flush(); // standard output stays open
        } else {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
                result = run(job, threadCount, out);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        double seconds = result.elapsed().toNanos() / 1e9;
        long records = result.counters().recordsRead();
        err.printf(
                "mr local: %s/%s, %d map tasks, %d reduce tasks, %d threads, %.3f s, %.0f records/s%n",
                FunctionCatalogue.mapFunctions().stream()
                        .map(f -> f.name())
                        .filter(n -> n.equalsIgnoreCase(map.trim()))
                        .findFirst()
                        .orElse(map),
                reduce.trim().toUpperCase(java.util.Locale.ROOT),
                result.mapTasks(),
                result.reduceTasks(),
                threadCount,
                seconds,
                records / Math.max(seconds, 1e-9));
        result.counters()
                .asMap()
                .forEach((k, v) ->
                        err.printf("  %-24s %s%n", k, v instanceof long[] a ? java.util.Arrays.toString(a) : v));
        List<MalformedRecords.Sample> samples =
                result.counters().malformedSamples().samples();
        for (MalformedRecords.Sample s : samples.subList(0, Math.min(3, samples.size()))) {
            err.printf("  malformed: %s: %s: %s%n", s.where(), s.reason(), MalformedRecords.oneLine(s.line()));
        }
        if (!logFormat.name().equals("default")) {
            err.printf("  format                   %s%n", logFormat.name());
        }
        err.flush();
        return 0;
    }

    /** Prints what the format makes of the first lines of the input: each record's fields, or why it is malformed. */
    private int preview(LogFormat logFormat) throws IOException {
        List<String> lines = new ArrayList<>();
        for (InputSplit split : FileSplitter.split(FileSplitter.listFiles(inputs), 1)) {
            if (lines.size() >= previewLines) {
                break;
            }
            try {
                split.forEachLine(new LineHandler() {
                    @Override
                    public void line(byte[] buf, int off, int len) {
                        lines.add(new String(buf, off, len, StandardCharsets.UTF_8));
                        if (lines.size() >= previewLines) {
                            throw new Enough();
                        }
                    }

                    @Override
                    public void oversizedLine() {
                        lines.add("");
                    }
                });
            } catch (Enough enough) {
                break;
            }
        }
        Preview.Result result = Preview.of(logFormat, String.join("\n", lines));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "format %s: %d of %d records parsed%n",
                result.format(), result.parsed(), result.parsed() + result.malformed());
        for (Preview.Entry e : result.records()) {
            if (e.error() != null) {
                out.println(Preview.describe(e));
                continue;
            }
            StringBuilder line = new StringBuilder("line ").append(e.line()).append(':');
            e.fields().forEach((name, value) -> {
                if (value != null) {
                    line.append(' ').append(name).append('=').append(MalformedRecords.oneLine(value));
                }
            });
            if (e.time() != null) {
                line.append(" @").append(e.time());
            }
            out.println(line);
        }
        out.flush();
        return 0;
    }

    /** Stops reading once the preview has its lines. */
    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }

    private JobResult run(LocalJob job, int threads, OutputStream out) throws IOException {
        ReadCounter counter = new ReadCounter();
        try (ReadProgress shown = startProgress(counter)) {
            return new LocalJobRunner(threads, shown.on() ? counter : null).run(job, (key, len, value) -> {
                shown.close(); // the reading is done; the line must not mix with output on the same terminal
                ResultKeys.write(key, len, out); // a NUL as ␀, as the cluster stores it
                out.write('\t');
                out.write(value.getBytes(StandardCharsets.US_ASCII));
                out.write('\n');
            });
        }
    }

    /** The progress line of reading the input, drawn when --progress or a terminal asks for it. */
    ReadProgress startProgress(ReadCounter counter) throws IOException {
        return ReadProgress.start(
                "mr local",
                spec.commandLine().getErr(),
                progress,
                counter,
                ReadProgress.totalBytes(FileSplitter.listFiles(inputs)));
    }

    private int defaultMappers(int threadCount) throws IOException {
        long total = 0;
        for (Path f : FileSplitter.listFiles(inputs)) {
            total += Files.size(f);
        }
        return (int) Math.max(threadCount, (total + SPLIT_BYTES - 1) / SPLIT_BYTES);
    }

    private void requirePositive(String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
        }
    }
}
