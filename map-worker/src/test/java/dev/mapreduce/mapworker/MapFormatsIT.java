package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.engine.task.ReduceTask;
import dev.mapreduce.protocol.AttemptCounters;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import dev.mapreduce.testing.FormatGen;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

/**
 * A real map worker reading a job's format from its task message, over file splits and over the
 * offset ranges of a 3-partition topic: access logs counted by status and bytes summed by path,
 * log4j events with stack traces across split and range boundaries, CSV with a header line in
 * every split. Every row is checked against the generator's own fields of each line (what it
 * wrote, not what our parser reads), and malformed counts are exact.
 */
class MapFormatsIT extends RunningMapWorker {

    private static final int REDUCERS = 3;
    private static final String NOT_AN_ACCESS_LOG = "this line is not in the access log format";

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;
    private Path logs;

    @BeforeEach
    void connect() throws Exception {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
        logs = Files.createDirectories(INPUT_ROOT.resolve("formats"));
    }

    @AfterEach
    void disconnect() throws Exception {
        events.close();
        coordinator.close();
        shuffle.close();
        try (Stream<Path> children = Files.list(INPUT_ROOT)) {
            for (Path child : children.toList()) {
                FileSystemUtils.deleteRecursively(child);
            }
        }
    }

    /** 3,000 access log lines, one in 100 replaced by a line of another shape. */
    private static AccessLog accessLog(long seed) {
        FormatGen gen = new FormatGen(seed);
        List<String> lines = new ArrayList<>();
        Map<String, String> statuses = new TreeMap<>();
        Map<String, String> bytesByPath = new TreeMap<>();
        for (int i = 0; i < 3_000; i++) {
            if (i % 100 == 42) {
                lines.add(NOT_AN_ACCESS_LOG);
                continue;
            }
            FormatGen.Line line = gen.access(true);
            lines.add(line.text());
            Map<String, String> f = line.fields();
            statuses.merge(f.get("status"), "1", (a, b) -> Long.toString(Long.parseLong(a) + 1));
            if (f.get("path") != null && f.get("bytes") != null) {
                bytesByPath.merge(
                        f.get("path"), f.get("bytes"), (a, b) -> Long.toString(Long.parseLong(a) + Long.parseLong(b)));
            }
        }
        return new AccessLog(lines, statuses, bytesByPath, 30);
    }

    private record AccessLog(
            List<String> lines, Map<String, String> statuses, Map<String, String> bytesByPath, long malformed) {}

    @Test
    void anAccessLogInFileSplitsIsCountedByStatusAsTheGeneratorWroteIt() throws Exception {
        AccessLog log = accessLog(1);
        Path file = Files.writeString(logs.resolve("access.log"), String.join("\n", log.lines()) + "\n");
        List<InputSplit> splits = FileSplitter.split(List.of(file), 7);
        assertThat(splits).hasSizeGreaterThan(3);
        UUID jobId = UUID.randomUUID();

        for (int i = 0; i < splits.size(); i++) {
            coordinator.send(fileTask(
                    jobId, i, FormatSpec.of("apache_combined"), "COUNT_BY", Map.of("field", "status"), splits.get(i)));
        }
        long read = 0;
        long malformed = 0;
        List<MalformedRecords.Sample> samples = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            AttemptCounters counters = succeeded(jobId, i);
            read += counters.recordsRead();
            malformed += counters.malformedRecords();
            samples.addAll(successOf(jobId, i).malformedSamples());
        }

        assertThat(read).isEqualTo(log.lines().size());
        assertThat(malformed).isEqualTo(log.malformed());
        // each task sends its first malformed records, naming the file as the job does
        assertThat(samples).hasSize((int) log.malformed()).allSatisfy(sample -> {
            assertThat(sample.where()).matches("formats/access\\.log at byte \\d+");
            assertThat(sample.line()).isEqualTo(NOT_AN_ACCESS_LOG);
            assertThat(sample.reason()).isNotBlank();
        });
        long firstAt = log.lines().subList(0, 42).stream()
                .mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1)
                .sum();
        assertThat(samples.get(0).where()).isEqualTo("formats/access.log at byte " + firstAt);
        assertThat(reduce(jobId, splits.size(), ReduceFunction.SUM)).isEqualTo(log.statuses());
        shuffle.deleteJob(jobId);
    }

    @Test
    void anAccessLogInAThreePartitionTopicIsCountedByStatusAndItsBytesSummedByPath() throws Exception {
        AccessLog log = accessLog(2);
        String topic = "access-" + UUID.randomUUID();
        long[] ends = produce(topic, log.lines().stream().map(l -> List.of(l)).toList());
        // each partition in two ranges, cut anywhere: six map tasks
        List<List<OffsetRange>> tasks = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            long cut = ends[p] / 3 + p;
            tasks.add(List.of(new OffsetRange(p, 0, cut)));
            tasks.add(List.of(new OffsetRange(p, cut, ends[p])));
        }

        UUID countJob = UUID.randomUUID();
        UUID sumJob = UUID.randomUUID();
        for (int i = 0; i < tasks.size(); i++) {
            coordinator.send(topicTask(
                    countJob,
                    i,
                    FormatSpec.of("apache_combined"),
                    "COUNT_BY",
                    Map.of("field", "status"),
                    topic,
                    tasks.get(i)));
            coordinator.send(topicTask(
                    sumJob,
                    i,
                    FormatSpec.of("apache_combined"),
                    "VALUE_BY",
                    Map.of("key", "path", "value", "bytes"),
                    topic,
                    tasks.get(i)));
        }
        long malformed = 0;
        for (int i = 0; i < tasks.size(); i++) {
            malformed += succeeded(countJob, i).malformedRecords();
            assertThat(succeeded(sumJob, i).recordsRead())
                    .isEqualTo(tasks.get(i).get(0).count());
        }

        assertThat(malformed).isEqualTo(log.malformed());
        assertThat(reduce(countJob, tasks.size(), ReduceFunction.SUM)).isEqualTo(log.statuses());
        assertThat(reduce(sumJob, tasks.size(), ReduceFunction.SUM)).isEqualTo(log.bytesByPath());
        shuffle.deleteJob(countJob);
        shuffle.deleteJob(sumJob);
    }

    @Test
    void log4jEventsWithStackTracesAreReadWholeAcrossSplitsAndRanges() throws Exception {
        FormatGen gen = new FormatGen(3);
        List<FormatGen.Line> generated = gen.lines(1_500, gen::log4j);
        Map<String, String> byException = new TreeMap<>();
        Map<String, String> byLevel = new TreeMap<>();
        for (FormatGen.Line e : generated) {
            byLevel.merge(e.fields().get("level"), "1", MapFormatsIT::plusOne);
            if (e.fields().get("exception") != null) {
                byException.merge(e.fields().get("exception"), "1", MapFormatsIT::plusOne);
            }
        }
        assertThat(byException).isNotEmpty();
        List<String> texts = generated.stream().map(FormatGen.Line::text).toList();

        // files: 8 splits, cut inside stack traces as anywhere else
        Path file = Files.writeString(logs.resolve("app.log"), String.join("\n", texts) + "\n");
        List<InputSplit> splits = FileSplitter.split(List.of(file), 8);
        UUID fileJob = UUID.randomUUID();
        for (int i = 0; i < splits.size(); i++) {
            coordinator.send(fileTask(
                    fileJob, i, FormatSpec.of("log4j"), "COUNT_BY", Map.of("field", "exception"), splits.get(i)));
        }
        long fileRecords = 0;
        for (int i = 0; i < splits.size(); i++) {
            AttemptCounters counters = succeeded(fileJob, i);
            assertThat(counters.malformedRecords()).isZero();
            fileRecords += counters.recordsRead();
        }
        assertThat(fileRecords).isEqualTo(generated.size());
        assertThat(reduce(fileJob, splits.size(), ReduceFunction.SUM)).isEqualTo(byException);

        // a topic with one line per record, each event's lines in one partition, ranges cut mid-event
        String topic = "log4j-" + UUID.randomUUID();
        List<List<String>> recordsOfEvents =
                texts.stream().map(t -> List.of(t.split("\n", -1))).toList();
        long[] ends = produce(topic, recordsOfEvents);
        List<List<String>> partitions = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int e = 0; e < recordsOfEvents.size(); e++) {
            partitions.get(e % 3).addAll(recordsOfEvents.get(e));
        }
        List<List<OffsetRange>> tasks = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            long a = continuationAfter(partitions.get(p), ends[p] / 3);
            long b = continuationAfter(partitions.get(p), 2 * ends[p] / 3);
            tasks.add(List.of(new OffsetRange(p, 0, a)));
            tasks.add(List.of(new OffsetRange(p, a, b)));
            tasks.add(List.of(new OffsetRange(p, b, ends[p])));
        }
        UUID topicJob = UUID.randomUUID();
        for (int i = 0; i < tasks.size(); i++) {
            coordinator.send(
                    topicTask(topicJob, i, FormatSpec.of("log4j"), "LEVEL_COUNT", Map.of(), topic, tasks.get(i)));
        }
        long topicRecords = 0;
        for (int i = 0; i < tasks.size(); i++) {
            AttemptCounters counters = succeeded(topicJob, i);
            assertThat(counters.malformedRecords()).isZero();
            topicRecords += counters.recordsRead();
        }
        assertThat(topicRecords).isEqualTo(generated.size());
        assertThat(reduce(topicJob, tasks.size(), ReduceFunction.SUM)).isEqualTo(byLevel);
        shuffle.deleteJob(fileJob);
        shuffle.deleteJob(topicJob);
    }

    @Test
    void eachFileOfACsvJobHasItsHeaderReadInEverySplitAndNotCountedAsARecord() throws Exception {
        FormatGen gen = new FormatGen(4);
        Map<String, String> byUser = new TreeMap<>();
        List<FileSplit> splits = new ArrayList<>();
        for (String name : List.of("a.csv", "b.csv")) {
            // the two files name their columns in different orders: each split reads its own file's header
            boolean swapped = name.equals("b.csv");
            StringBuilder text =
                    new StringBuilder(swapped ? "user,time,action,amount,note\n" : "time,user,action,amount,note\n");
            for (int i = 0; i < 1_000; i++) {
                FormatGen.Line row = gen.csv(',');
                byUser.merge(row.fields().get("user"), "1", MapFormatsIT::plusOne);
                String line = row.text();
                if (swapped) {
                    int first = line.indexOf(',');
                    int second = line.indexOf(',', first + 1);
                    line = line.substring(first + 1, second) + "," + line.substring(0, first) + line.substring(second);
                }
                text.append(line).append('\n');
            }
            Path file = Files.writeString(logs.resolve(name), text);
            for (InputSplit s : FileSplitter.split(List.of(file), 3)) {
                splits.add(new FileSplit(INPUT_ROOT.relativize(s.file()).toString(), s.start(), s.end(), false));
            }
        }
        UUID jobId = UUID.randomUUID();

        for (int i = 0; i < splits.size(); i++) {
            coordinator.send(mapTask(
                    jobId,
                    i,
                    FormatSpec.of("csv"),
                    "COUNT_BY",
                    Map.of("field", "user"),
                    null,
                    List.of(),
                    List.of(splits.get(i))));
        }
        long read = 0;
        for (int i = 0; i < splits.size(); i++) {
            AttemptCounters counters = succeeded(jobId, i);
            assertThat(counters.malformedRecords()).isZero();
            read += counters.recordsRead();
        }

        assertThat(read).isEqualTo(2_000);
        assertThat(reduce(jobId, splits.size(), ReduceFunction.SUM)).isEqualTo(byUser);
        shuffle.deleteJob(jobId);
    }

    @Test
    void aFormatThatDoesNotCompileOrLacksTheFunctionsFieldFailsTheAttemptSayingWhy() throws Exception {
        Path file = Files.writeString(logs.resolve("x.log"), "a\n");
        InputSplit split = FileSplitter.split(List.of(file), 1).get(0);
        UUID unknown = UUID.randomUUID();
        UUID lacking = UUID.randomUUID();

        coordinator.send(fileTask(unknown, 0, FormatSpec.of("no_such_format"), "LEVEL_COUNT", Map.of(), split));
        coordinator.send(fileTask(lacking, 0, FormatSpec.of("apache_combined"), "LEVEL_COUNT", Map.of(), split));

        assertThat(failure(unknown)).startsWith("FormatException: ").contains("no_such_format");
        assertThat(failure(lacking)).startsWith("FormatException: ").contains("'level'", "apache_combined");
    }

    /** The offset of the first record at or after {@code from} that continues an event (a stack trace line). */
    private static long continuationAfter(List<String> records, long from) {
        for (int i = (int) from; i < records.size(); i++) {
            if (!Character.isDigit(
                    records.get(i).isEmpty() ? 'x' : records.get(i).charAt(0))) {
                return i;
            }
        }
        throw new AssertionError("no stack trace line after offset " + from);
    }

    private String failure(UUID jobId) {
        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FAILED);
        return reported.get(reported.size() - 1).error();
    }

    private TaskEvent successOf(UUID jobId, int index) {
        List<TaskEvent> reported = events.awaitEvent(jobId, index, 1, Kind.SUCCEEDED);
        return reported.get(reported.size() - 1);
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

    /**
     * Creates a 3-partition topic and sends each group of records to partition {@code group % 3},
     * one record per string; returns each partition's end offset.
     */
    private static long[] produce(String topic, List<List<String>> groups) throws Exception {
        TestKafka.createTopic(topic, 3);
        long[] ends = new long[3];
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int g = 0; g < groups.size(); g++) {
                int partition = g % 3;
                for (String record : groups.get(g)) {
                    sent.add(producer.send(
                            new ProducerRecord<>(topic, partition, null, record.getBytes(StandardCharsets.UTF_8))));
                    ends[partition]++;
                }
            }
            producer.flush();
        }
        for (Future<RecordMetadata> record : sent) {
            record.get(); // every record is in the topic where ends counts it
        }
        return ends;
    }

    private static TaskMessage fileTask(
            UUID jobId, int index, FormatSpec format, String map, Map<String, String> parameters, InputSplit split) {
        FileSplit file =
                new FileSplit(INPUT_ROOT.relativize(split.file()).toString(), split.start(), split.end(), split.gzip());
        return mapTask(jobId, index, format, map, parameters, null, List.of(), List.of(file));
    }

    private static TaskMessage topicTask(
            UUID jobId,
            int index,
            FormatSpec format,
            String map,
            Map<String, String> parameters,
            String topic,
            List<OffsetRange> ranges) {
        return mapTask(jobId, index, format, map, parameters, topic, ranges, List.of());
    }

    private static TaskMessage mapTask(
            UUID jobId,
            int index,
            FormatSpec format,
            String map,
            Map<String, String> parameters,
            String topic,
            List<OffsetRange> ranges,
            List<FileSplit> files) {
        return new TaskMessage(
                jobId,
                TaskType.MAP,
                index,
                1,
                map,
                "SUM",
                parameters,
                true,
                REDUCERS,
                topic,
                ranges,
                files,
                List.of(),
                null,
                format);
    }

    private static String plusOne(String a, String b) {
        return Long.toString(Long.parseLong(a) + 1);
    }
}
