package dev.mapreduce.cli;

import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.local.JobResult;
import dev.mapreduce.engine.local.LocalJob;
import dev.mapreduce.engine.local.LocalJobRunner;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            "Input lines are JSON objects or text lines '<timestamp> <level> [<service>] <host> <trace> - <message>';"
                    + " lines that are empty, not UTF-8, unparseable or missing timestamp, level, service or message"
                    + " are counted as malformed and skipped. .gz files are read whole, one split each.",
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

    @Option(
            names = "--format",
            paramLabel = "NAME",
            description = "The input's log format or preset (default: default); with --sql its fields are the"
                    + " columns of logs.")
    String format;

    @Option(names = "--csv", description = "With --sql: CSV (RFC 4180) with a header instead of TSV.")
    boolean csv;

    @Option(names = "--json", description = "With --sql: one JSON object per row instead of TSV.")
    boolean json;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Output file (default: standard output).")
    Path output;

    static {
        System.setProperty("mr.cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
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
        Map<String, String> parameters = new LinkedHashMap<>();
        patterns.forEach((name, regex) -> parameters.put("pattern." + name, regex));
        int mapperCount = mappers != null ? mappers : defaultMappers(threadCount);
        if (sql != null) {
            return SqlLocal.run(this, mapperCount, reducerCount, threadCount);
        }
        if (csv || json) {
            throw new ParameterException(spec.commandLine(), "--csv and --json go with --sql");
        }
        LocalJob job =
                new LocalJob(inputs, map, parameters, reduce, mapperCount, reducerCount, combiner, sortBufferMb * MIB);
        if (format != null) {
            job = job.withFormat(dev.mapreduce.engine.format.FormatSpec.of(format));
        }
        // Everything that can be wrong with the job is checked before the output is touched.
        FunctionCatalogue.reduceFunction(reduce);
        FunctionCatalogue.mapFunction(map, parameters);
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
        err.flush();
        return 0;
    }

    private static JobResult run(LocalJob job, int threads, OutputStream out) throws IOException {
        return new LocalJobRunner(threads).run(job, (key, len, value) -> {
            out.write(key, 0, len);
            out.write('\t');
            out.write(value.getBytes(StandardCharsets.US_ASCII));
            out.write('\n');
        });
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
