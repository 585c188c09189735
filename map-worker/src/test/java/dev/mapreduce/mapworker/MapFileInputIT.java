package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.local.JobResult;
import dev.mapreduce.engine.local.LocalJob;
import dev.mapreduce.engine.local.LocalJobRunner;
import dev.mapreduce.engine.local.LocalQueryJob;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.sql.FormatReader;
import dev.mapreduce.engine.sql.QuerySchema;
import dev.mapreduce.engine.sql.ResultCollector;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.ReduceTask;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.ShuffleKeys;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * A real map worker reading file splits under its input root: lines across split boundaries are
 * read once, gzip files whole, counters are exact, the runs of a whole file reduce to what
 * {@code mr local} (the LocalJobRunner) computes over the same file, and nothing outside the root
 * is read.
 */
class MapFileInputIT extends RunningMapWorker {

    private static final int REDUCERS = 4;

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;
    private Path logs;

    @BeforeEach
    void connect() throws IOException {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
        logs = Files.createDirectories(INPUT_ROOT.resolve("logs"));
    }

    @AfterEach
    void disconnect() throws IOException {
        events.close();
        coordinator.close();
        shuffle.close();
        try (Stream<Path> children = Files.list(INPUT_ROOT)) {
            for (Path child : children.toList()) {
                FileSystemUtils.deleteRecursively(child);
            }
        }
    }

    @Test
    void aLineAcrossASplitBoundaryIsReadOnceByTheSplitItStartsIn() throws Exception {
        List<String> lines = List.of(
                json("order-service", "first"),
                json("payment-service", "this line is cut in two by the first boundary"),
                "2026-11-20T00:00:00.001Z WARN [auth] auth-1 a298eb42 - text form",
                "",
                "not a log line",
                json("order-service", "after a boundary that falls exactly on a line start"),
                json("søk-tjeneste", "last line without a terminator"));
        String text = String.join("\n", lines);
        Files.writeString(logs.resolve("a.log"), text);
        long[] starts = lineStarts(lines);
        long size = text.getBytes(StandardCharsets.UTF_8).length;
        long midLine1 = starts[1] + 10;
        long atLine5 = starts[5];
        List<FileSplit> splits = List.of(
                new FileSplit("logs/a.log", 0, midLine1, false),
                new FileSplit("logs/a.log", midLine1, atLine5, false),
                new FileSplit("logs/a.log", atLine5, size, false));
        UUID jobId = UUID.randomUUID();

        List<AttemptCounters> counters = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            coordinator.send(mapTask(jobId, i, "SERVICE_DISTRIBUTION", "COUNT", List.of(splits.get(i))));
        }
        for (int i = 0; i < splits.size(); i++) {
            counters.add(succeeded(jobId, i));
        }

        // line 0 and line 1 (started in split 0); lines 2-5 (line 5 starts right after split 1's last byte); line 6
        assertThat(counters).extracting(AttemptCounters::recordsRead).containsExactly(2L, 4L, 1L);
        assertThat(counters).extracting(AttemptCounters::malformedRecords).containsExactly(0L, 2L, 0L);
        assertThat(reduce(jobId, splits.size(), ReduceFunction.COUNT))
                .isEqualTo(Map.of("auth", "1", "order-service", "2", "payment-service", "1", "søk-tjeneste", "1"));
        shuffle.deleteJob(jobId);
    }

    @Test
    void aGzipFileIsReadWholeAsOneSplit() throws Exception {
        Path gz = logs.resolve("b.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            for (int i = 0; i < 1_000; i++) {
                String line = i % 100 == 99 ? "{broken" : json(i % 2 == 0 ? "even" : "odd", "n " + i);
                out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        UUID jobId = UUID.randomUUID();

        coordinator.send(mapTask(
                jobId,
                0,
                "SERVICE_DISTRIBUTION",
                "SUM",
                List.of(new FileSplit("logs/b.log.gz", 0, Files.size(gz), true))));

        AttemptCounters counters = succeeded(jobId, 0);
        assertThat(counters.recordsRead()).isEqualTo(1_000);
        assertThat(counters.malformedRecords()).isEqualTo(10);
        assertThat(counters.mapOutputRecords()).isEqualTo(990);
        assertThat(reduce(jobId, 1, ReduceFunction.SUM)).isEqualTo(Map.of("even", "500", "odd", "490"));
        shuffle.deleteJob(jobId);
    }

    @Test
    void theRunsOfAFileReduceToWhatTheLocalRunnerComputesOverIt() throws Exception {
        Random random = new Random(7);
        List<String> words = List.of("timeout", "error", "Payment", "declined", "ok", "retry", "x_1", "Ünïcode");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            String message = IntStream.range(0, 1 + random.nextInt(8))
                    .mapToObj(k -> words.get(random.nextInt(words.size())))
                    .reduce((a, b) -> a + " " + b)
                    .orElseThrow();
            String line =
                    switch (random.nextInt(10)) {
                        case 0 -> "2026-11-20T00:00:00.001Z ERROR [svc-" + random.nextInt(3) + "] h - " + message;
                        case 1 -> random.nextBoolean() ? "" : "{\"level\":\"INFO\"}";
                        default -> json("svc-" + random.nextInt(3), message);
                    };
            text.append(line).append(random.nextInt(5) == 0 ? "\r\n" : "\n");
        }
        Path plain = Files.writeString(logs.resolve("c.log"), text);
        Path gz = logs.resolve("d.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(text.substring(0, text.length() / 3).getBytes(StandardCharsets.UTF_8));
        }
        List<InputSplit> splits = FileSplitter.split(List.of(plain, gz), 7);
        UUID jobId = UUID.randomUUID();

        for (int i = 0; i < splits.size(); i++) {
            InputSplit s = splits.get(i);
            String path = INPUT_ROOT.relativize(s.file()).toString();
            coordinator.send(
                    mapTask(jobId, i, "WORD_COUNT", "SUM", List.of(new FileSplit(path, s.start(), s.end(), s.gzip()))));
        }
        long recordsRead = 0;
        long malformed = 0;
        for (int i = 0; i < splits.size(); i++) {
            AttemptCounters counters = succeeded(jobId, i);
            recordsRead += counters.recordsRead();
            malformed += counters.malformedRecords();
        }

        Map<String, String> local = new TreeMap<>();
        JobResult result = new LocalJobRunner(2)
                .run(
                        LocalJob.of(List.of(plain, gz), "WORD_COUNT", "SUM", 2, REDUCERS),
                        (key, len, value) -> local.put(new String(key, 0, len, StandardCharsets.UTF_8), value));
        assertThat(local).isNotEmpty();
        assertThat(reduce(jobId, splits.size(), ReduceFunction.SUM)).isEqualTo(local);
        assertThat(recordsRead).isEqualTo(result.counters().recordsRead());
        assertThat(malformed).isEqualTo(result.counters().malformedRecords()).isPositive();
        shuffle.deleteJob(jobId);
    }

    @Test
    void theStateRunsOfAQueryReduceToTheRowsTheLocalRunnerGives() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            text.append(json("svc-" + i % 3, "user " + i % 17 + " in " + i % 50 + " ms"))
                    .append('\n');
        }
        text.append("not a log line\n");
        Path plain = Files.writeString(logs.resolve("q.log"), text);
        String sql = "SELECT service, count(*) AS n, count(DISTINCT regexp_extract(message, 'user (\\d+)', 1)) AS users"
                + " FROM logs GROUP BY service ORDER BY service";
        List<InputSplit> splits = FileSplitter.split(List.of(plain), 3);
        UUID jobId = UUID.randomUUID();

        for (int i = 0; i < splits.size(); i++) {
            InputSplit s = splits.get(i);
            TaskMessage task = mapTask(
                    jobId,
                    i,
                    null,
                    null,
                    List.of(new FileSplit(INPUT_ROOT.relativize(s.file()).toString(), s.start(), s.end(), false)));
            coordinator.send(new TaskMessage(
                    jobId,
                    TaskType.MAP,
                    i,
                    1,
                    null,
                    null,
                    Map.of(),
                    true,
                    REDUCERS,
                    null,
                    List.of(),
                    task.files(),
                    List.of(),
                    List.of(),
                    null,
                    sql));
        }
        long malformed = 0;
        for (int i = 0; i < splits.size(); i++) {
            malformed += succeeded(jobId, i).malformedRecords();
        }
        assertThat(malformed).isEqualTo(1);

        SqlQuery query = SqlQuery.parse(sql, QuerySchema.defaultFormat());
        SqlQuery.Task compiled = query.compile();
        List<MapRunRef> maps = IntStream.range(0, splits.size())
                .mapToObj(i -> new MapRunRef(i, 1))
                .toList();
        ResultCollector collector = compiled.collector();
        for (int partition = 0; partition < REDUCERS; partition++) {
            List<RunReader> runs = shuffle.fetchRuns(jobId, partition, maps).stream()
                    .map(RunReader::new)
                    .toList();
            SqlQuery.Reducer reducer = query.compile().reducer(collector::add);
            new ReduceTask(compiled.codec()).runStates(runs, reducer);
            reducer.finish(false);
        }
        List<List<Object>> cluster =
                collector.rows().stream().map(r -> Arrays.asList(r.values())).toList();
        List<List<Object>> local = new LocalJobRunner(2)
                        .runQuery(LocalQueryJob.of(query, List.of(plain), () -> FormatReader.of(query), 2, REDUCERS))
                        .rows()
                        .stream()
                        .map(r -> Arrays.asList(r.values()))
                        .toList();
        assertThat(cluster)
                .isEqualTo(local)
                .containsExactly(List.of("svc-0", 667L, 17L), List.of("svc-1", 667L, 17L), List.of("svc-2", 666L, 17L));
        shuffle.deleteJob(jobId);
    }

    /** Over 4 MB of output through the worker's 1 MB sort buffer: spills, runs over 1 MiB stored in chunks. */
    @Test
    void aTaskWithMoreOutputThanItsSortBufferSpillsAndLeavesNoFileBehind() throws Exception {
        int lines = 200_000;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            text.append(json("svc", "common " + token(i))).append('\n');
        }
        Path file = Files.writeString(logs.resolve("unique.log"), text);
        UUID jobId = UUID.randomUUID();

        coordinator.send(mapTask(
                jobId, 0, "WORD_COUNT", "SUM", List.of(new FileSplit("logs/unique.log", 0, Files.size(file), false))));

        AttemptCounters counters = succeeded(jobId, 0);
        assertThat(counters.combineOutputRecords()).isEqualTo(lines + 1);
        assertThat(counters.shuffleBytes()).isGreaterThan(4L << 20);
        Path spillFolder = SPILL_DIRECTORY.resolve("mapreduce-" + WORKER_ID);
        try (Stream<Path> left = Files.list(spillFolder)) {
            assertThat(left).as("files left in %s", spillFolder).isEmpty();
        }
        RedisClient client = RedisClient.create(REDIS_URL);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            long chunked = IntStream.range(0, REDUCERS)
                    .filter(p -> redis.sync().exists(ShuffleKeys.chunk(jobId, p, 0, 1, 1)) == 1)
                    .count();
            assertThat(chunked).as("partitions stored in chunks").isPositive();
        } finally {
            client.shutdown();
        }
        Map<String, String> rows = reduce(jobId, 1, ReduceFunction.SUM);
        assertThat(rows).hasSize(lines + 1).containsEntry("common", Integer.toString(lines));
        for (int i = 0; i < lines; i += 997) {
            assertThat(rows).containsEntry(token(i), "1");
        }
        shuffle.deleteJob(jobId);
    }

    /** A lowercase token of its own for line {@code i}: scrambled, so that keys share short prefixes only. */
    private static String token(int i) {
        long h = i * 0x9E3779B97F4A7C15L;
        return Long.toString(Long.reverse(h) >>> 1, 36) + Long.toString(h >>> 1, 36) + "x" + i;
    }

    @Test
    void aSplitThatLeadsOutOfTheRootFailsTheAttemptAndReadsNothing() throws Exception {
        Path outside = Files.createTempFile("outside", ".log");
        try {
            Files.writeString(outside, json("secret", "m") + "\n");
            Files.createSymbolicLink(logs.resolve("evil.log"), outside);

            assertThat(failure(new FileSplit("../" + outside.getFileName(), 0, 10, false)))
                    .isEqualTo("InputPathException: input path '../" + outside.getFileName()
                            + "' must not contain a .. segment");
            assertThat(failure(new FileSplit(outside.toString(), 0, 10, false)))
                    .endsWith("must be relative to the input root, not absolute");
            assertThat(failure(new FileSplit("logs/evil.log", 0, 10, false)))
                    .isEqualTo("InputPathException: input path 'logs/evil.log' leads outside the input root");
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aMissingOrChangedFileFailsTheAttemptSayingSo() throws Exception {
        Files.writeString(logs.resolve("short.log"), "a\nb\n");

        assertThat(failure(new FileSplit("logs/none.log", 0, 10, false)))
                .isEqualTo("IOException: input file logs/none.log does not exist under this worker's input root");
        assertThat(failure(new FileSplit("logs/short.log", 0, 100, false)))
                .isEqualTo("IOException: input file logs/short.log has 4 bytes, not the 100 it had when the job was"
                        + " planned: it changed");
        assertThat(failure(new FileSplit("logs", 0, 10, false)))
                .isEqualTo("IOException: input file logs is not a regular file");
    }

    private String failure(FileSplit split) {
        UUID jobId = UUID.randomUUID();
        coordinator.send(mapTask(jobId, 0, "SERVICE_DISTRIBUTION", "COUNT", List.of(split)));
        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FAILED);
        return reported.get(reported.size() - 1).error();
    }

    private AttemptCounters succeeded(UUID jobId, int index) {
        List<TaskEvent> reported = events.awaitEvent(jobId, index, 1, Kind.SUCCEEDED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.SUCCEEDED);
        return reported.get(1).counters();
    }

    /** Every map task's runs of the job, merged and reduced per partition as a reducer does. */
    private Map<String, String> reduce(UUID jobId, int mapTasks, ReduceFunction function) {
        List<MapRunRef> maps =
                IntStream.range(0, mapTasks).mapToObj(i -> new MapRunRef(i, 1)).toList();
        Map<String, String> rows = new TreeMap<>();
        for (int partition = 0; partition < REDUCERS; partition++) {
            List<byte[]> runs = shuffle.fetchRuns(jobId, partition, maps);
            assertThat(runs).hasSize(mapTasks);
            new ReduceTask(function)
                    .run(
                            runs.stream().map(RunReader::new).toList(),
                            (key, len, a, b) -> rows.put(
                                    new String(Arrays.copyOf(key, len), StandardCharsets.UTF_8),
                                    function.result(a, b)));
        }
        return rows;
    }

    private static TaskMessage mapTask(UUID jobId, int index, String map, String reduce, List<FileSplit> files) {
        return new TaskMessage(
                jobId,
                TaskType.MAP,
                index,
                1,
                map,
                reduce,
                Map.of(),
                true,
                REDUCERS,
                null,
                List.of(),
                files,
                List.of(),
                null);
    }

    private static String json(String service, String message) {
        return "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"" + service
                + "\",\"message\":\"" + message + "\"}";
    }

    private static long[] lineStarts(List<String> lines) {
        long[] starts = new long[lines.size()];
        long at = 0;
        for (int i = 0; i < lines.size(); i++) {
            starts[i] = at;
            at += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return starts;
    }
}
