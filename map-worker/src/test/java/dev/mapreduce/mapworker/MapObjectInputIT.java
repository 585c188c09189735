package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.ObjectPath;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.task.ReduceTask;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.s3.S3Store;
import dev.mapreduce.runtime.s3.S3Store.StoredObject;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import dev.mapreduce.runtime.testing.TestS3;
import dev.mapreduce.testing.FormatGen;
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
 * A real map worker reading {@code s3://} splits from a real S3-compatible server (S3Proxy) with
 * ranged GETs: the same files, cut into the same splits, give the same rows and counters from the
 * object store as from the input root, plain and gzip, and CSV headers and multi-line events
 * behave as they do for files.
 */
class MapObjectInputIT extends RunningMapWorker {

    private static final int REDUCERS = 4;

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;
    private S3Store store;
    private Path logs;
    private String bucket;

    @BeforeEach
    void connect() throws IOException {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
        store = new S3Store(TestS3.settings());
        logs = Files.createDirectories(INPUT_ROOT.resolve("logs"));
        bucket = "map-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void disconnect() throws IOException {
        events.close();
        coordinator.close();
        shuffle.close();
        store.close();
        try (Stream<Path> children = Files.list(INPUT_ROOT)) {
            for (Path child : children.toList()) {
                FileSystemUtils.deleteRecursively(child);
            }
        }
    }

    @Test
    void objectsGiveTheRowsAndCountersTheSameFilesGiveFromTheInputRoot() throws Exception {
        Random random = new Random(11);
        List<String> words = List.of("timeout", "error", "Payment", "declined", "ok", "retry", "Ünïcode");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
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
        TestS3.upload(bucket, "logs/", List.of(plain, gz));

        List<FileSplit> objectSplits = objectSplits("s3://" + bucket + "/logs/", 9);
        List<FileSplit> fileSplits = FileSplitter.split(List.of(plain, gz), 9).stream()
                .map(s -> new FileSplit(INPUT_ROOT.relativize(s.file()).toString(), s.start(), s.end(), s.gzip()))
                .toList();
        assertThat(objectSplits).extracting(FileSplit::path).contains("s3://" + bucket + "/logs/d.log.gz");
        assertThat(objectSplits)
                .extracting(FileSplit::start, FileSplit::end, FileSplit::gzip)
                .isEqualTo(fileSplits.stream()
                        .map(s -> org.assertj.core.groups.Tuple.tuple(s.start(), s.end(), s.gzip()))
                        .toList());

        Result fromObjects = run(objectSplits, null, "WORD_COUNT", Map.of());
        Result fromFiles = run(fileSplits, null, "WORD_COUNT", Map.of());

        assertThat(fromObjects.rows()).isNotEmpty().isEqualTo(fromFiles.rows());
        assertThat(fromObjects.recordsRead()).isEqualTo(fromFiles.recordsRead()).isPositive();
        assertThat(fromObjects.malformed()).isEqualTo(fromFiles.malformed()).isPositive();
    }

    @Test
    void eachObjectOfACsvJobHasItsHeaderReadInEverySplit() throws Exception {
        FormatGen gen = new FormatGen(4);
        Map<String, String> byUser = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        for (String name : List.of("a.csv", "b.csv")) {
            boolean swapped = name.equals("b.csv");
            StringBuilder text =
                    new StringBuilder(swapped ? "user,time,action,amount,note\n" : "time,user,action,amount,note\n");
            for (int i = 0; i < 1_000; i++) {
                FormatGen.Line row = gen.csv(',');
                byUser.merge(row.fields().get("user"), "1", MapObjectInputIT::plusOne);
                String line = row.text();
                if (swapped) {
                    int first = line.indexOf(',');
                    int second = line.indexOf(',', first + 1);
                    line = line.substring(first + 1, second) + "," + line.substring(0, first) + line.substring(second);
                }
                text.append(line).append('\n');
            }
            files.add(Files.writeString(logs.resolve(name), text));
        }
        TestS3.upload(bucket, "csv/", files);

        Result result = run(
                objectSplits("s3://" + bucket + "/csv/*.csv", 6),
                FormatSpec.of("csv"),
                "COUNT_BY",
                Map.of("field", "user"));

        assertThat(result.recordsRead()).isEqualTo(2_000);
        assertThat(result.malformed()).isZero();
        assertThat(result.rows()).isEqualTo(byUser);
    }

    @Test
    void multiLineEventsAreReadWholeAcrossObjectSplits() throws Exception {
        FormatGen gen = new FormatGen(3);
        List<FormatGen.Line> generated = gen.lines(1_500, gen::log4j);
        Map<String, String> byException = new TreeMap<>();
        for (FormatGen.Line e : generated) {
            if (e.fields().get("exception") != null) {
                byException.merge(e.fields().get("exception"), "1", MapObjectInputIT::plusOne);
            }
        }
        assertThat(byException).isNotEmpty();
        Path file = Files.writeString(
                logs.resolve("app.log"),
                String.join("\n", generated.stream().map(FormatGen.Line::text).toList()) + "\n");
        TestS3.upload(bucket, "", List.of(file));

        Result result = run(
                objectSplits("s3://" + bucket + "/app.log", 8),
                FormatSpec.of("log4j"),
                "COUNT_BY",
                Map.of("field", "exception"));

        assertThat(result.recordsRead()).isEqualTo(generated.size());
        assertThat(result.malformed()).isZero();
        assertThat(result.rows()).isEqualTo(byException);
    }

    private record Result(Map<String, String> rows, long recordsRead, long malformed) {}

    /** The objects {@code path} names, cut as the coordinator cuts them. */
    private List<FileSplit> objectSplits(String path, int splits) throws IOException {
        List<StoredObject> objects = store.list(ObjectPath.parse(path));
        return FileSplitter.split(
                objects,
                StoredObject::size,
                StoredObject::gzip,
                splits,
                (o, start, end, gzip) -> new FileSplit(o.uri(), start, end, gzip));
    }

    /** One map task per split, then their runs reduced with SUM as a reducer would. */
    private Result run(List<FileSplit> splits, FormatSpec format, String map, Map<String, String> parameters) {
        UUID jobId = UUID.randomUUID();
        for (int i = 0; i < splits.size(); i++) {
            coordinator.send(new TaskMessage(
                    jobId,
                    TaskType.MAP,
                    i,
                    1,
                    map,
                    "SUM",
                    parameters,
                    true,
                    REDUCERS,
                    null,
                    List.of(),
                    List.of(splits.get(i)),
                    List.of(),
                    null,
                    format));
        }
        long read = 0;
        long malformed = 0;
        for (int i = 0; i < splits.size(); i++) {
            List<TaskEvent> reported = events.awaitEvent(jobId, i, 1, Kind.SUCCEEDED);
            assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.SUCCEEDED);
            AttemptCounters counters = reported.get(1).counters();
            read += counters.recordsRead();
            malformed += counters.malformedRecords();
        }
        List<MapRunRef> maps = IntStream.range(0, splits.size())
                .mapToObj(i -> new MapRunRef(i, 1))
                .toList();
        Map<String, String> rows = new TreeMap<>();
        for (int partition = 0; partition < REDUCERS; partition++) {
            List<byte[]> runs = shuffle.fetchRuns(jobId, partition, maps);
            new ReduceTask(ReduceFunction.SUM)
                    .run(
                            runs.stream().map(RunReader::new).toList(),
                            (key, len, a, b) -> rows.put(
                                    new String(Arrays.copyOf(key, len), StandardCharsets.UTF_8),
                                    ReduceFunction.SUM.result(a, b)));
        }
        shuffle.deleteJob(jobId);
        return new Result(rows, read, malformed);
    }

    private static String json(String service, String message) {
        return "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"" + service
                + "\",\"message\":\"" + message + "\"}";
    }

    private static String plusOne(String a, String b) {
        return Long.toString(Long.parseLong(a) + 1);
    }
}
