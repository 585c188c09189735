package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.KafkaRangeReaders;
import dev.mapreduce.runtime.KafkaRangeSource;
import dev.mapreduce.runtime.testing.TestKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.util.FileSystemUtils;

/**
 * What a job reads, fixed at submit: a topic's records within a time range, or the files under
 * the input root, cut into splits and grouped into map tasks; and the paths that are refused.
 */
class JobInputIT extends ScriptedWorkersTestBase {

    /** Record timestamps start here, one second apart. */
    static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

    @AfterAll
    static void removeInputFiles() throws IOException {
        try (Stream<Path> children = Files.list(INPUT_ROOT)) {
            for (Path child : children.toList()) {
                FileSystemUtils.deleteRecursively(child);
            }
        }
    }

    // --- time ranges ---

    /**
     * Partition 0 holds records at seconds 0..9 after T0, partition 1 at seconds 0, 2, 4, .., 18;
     * each record's value is {@code p<partition>@<second>}.
     */
    static String timedTopic() throws Exception {
        String topic = "timed-" + UUID.randomUUID();
        TestKafka.createTopic(topic, 2);
        try (var producer = new KafkaProducer<byte[], byte[]>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int s = 0; s < 10; s++) {
                send(producer, topic, 0, s);
                send(producer, topic, 1, 2 * s);
            }
            producer.flush();
        }
        return topic;
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, int partition, int second) {
        long timestamp = T0.plusSeconds(second).toEpochMilli();
        byte[] value = ("p" + partition + "@" + second).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, partition, timestamp, null, value));
    }

    @Test
    void aTimeRangeReadsExactlyTheRecordsFromItsStartUpToItsEnd() throws Exception {
        String topic = timedTopic();

        UUID jobId = submit(
                """
                {"jobName":"ranged","inputTopic":"%s","from":"%s","to":"%s","numMappers":3}"""
                        .formatted(topic, T0.plusSeconds(3), T0.plusSeconds(8)));

        assertThat(records(topic, ranges(jobId)))
                .containsExactlyInAnyOrder("p0@3", "p0@4", "p0@5", "p0@6", "p0@7", "p1@4", "p1@6");
        Map<?, ?> job = job(jobId);
        assertThat(job.get("from")).isEqualTo("2026-11-20T00:00:03Z");
        assertThat(job.get("to")).isEqualTo("2026-11-20T00:00:08Z");
        assertThat(job.get("inputRecords")).isEqualTo(7);
        assertThat(job.get("inputPath")).isNull();
    }

    @Test
    void anOpenEndedRangeRunsToTheLatestRecordAndAStartAfterEveryRecordReadsNothing() throws Exception {
        String topic = timedTopic();

        UUID from = submit("""
                {"jobName":"from","inputTopic":"%s","from":"%s"}"""
                .formatted(topic, T0.plusSeconds(9)));
        UUID to = submit("""
                {"jobName":"to","inputTopic":"%s","to":"%s"}"""
                .formatted(topic, T0.plusSeconds(1)));
        UUID late = submit("""
                {"jobName":"late","inputTopic":"%s","from":"%s"}"""
                .formatted(topic, T0.plusSeconds(60)));
        UUID early = submit("""
                {"jobName":"early","inputTopic":"%s","to":"%s"}"""
                .formatted(topic, T0.minusSeconds(60)));
        UUID afterAll = submit("""
                {"jobName":"after","inputTopic":"%s","to":"%s"}"""
                .formatted(topic, T0.plusSeconds(60)));

        assertThat(records(topic, ranges(from)))
                .containsExactlyInAnyOrder("p0@9", "p1@10", "p1@12", "p1@14", "p1@16", "p1@18");
        assertThat(records(topic, ranges(to))).containsExactlyInAnyOrder("p0@0", "p1@0");
        assertThat(records(topic, ranges(late))).isEmpty();
        assertThat(records(topic, ranges(early))).isEmpty();
        assertThat(records(topic, ranges(afterAll))).hasSize(20);
    }

    @Test
    void aTimeBetweenMillisecondsStartsAtTheNextMillisecond() throws Exception {
        String topic = timedTopic();
        Instant justAfterSecond2 = T0.plusSeconds(2).plusNanos(1);

        UUID jobId = submit("""
                {"jobName":"nanos","inputTopic":"%s","from":"%s","to":"%s"}"""
                .formatted(topic, justAfterSecond2, T0.plusSeconds(4).plusNanos(1)));

        assertThat(records(topic, ranges(jobId))).containsExactlyInAnyOrder("p0@3", "p0@4", "p1@4");
    }

    // --- files ---

    @Test
    void aFolderIsCutIntoSplitsOfAtMostTheSplitSizeGroupedIntoNumMappersTasks() throws Exception {
        String folder = "logs-" + UUID.randomUUID();
        Path dir = Files.createDirectories(INPUT_ROOT.resolve(folder));
        List<String> lines = new ArrayList<>();
        StringBuilder a = new StringBuilder();
        for (int i = 0; a.length() < 5 * SPLIT_SIZE; i++) {
            String line = "{\"timestamp\":\"t\",\"level\":\"INFO\",\"service\":\"s\",\"message\":\"line " + i + "\"}";
            a.append(line).append('\n');
            lines.add(line);
        }
        Files.writeString(dir.resolve("a.log"), a);
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("b.log.gz")))) {
            gz.write("gz 1\ngz 2\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.createFile(dir.resolve("c.log"));
        Files.writeString(dir.resolve("_SUCCESS"), "not input\n");
        lines.addAll(List.of("gz 1", "gz 2"));

        UUID jobId =
                submit("""
                {"jobName":"files","inputPath":"%s","numMappers":3}""".formatted(folder));

        List<List<FileSplit>> tasks = fileTasks(jobId);
        assertThat(tasks).hasSize(3);
        List<FileSplit> splits = tasks.stream().flatMap(List::stream).toList();
        assertThat(splits).allSatisfy(s -> assertThat(s.path()).startsWith(folder + "/"));
        assertThat(splits.stream().filter(s -> !s.gzip())).allSatisfy(s -> {
            assertThat(s.path()).isEqualTo(folder + "/a.log");
            assertThat(s.length()).isBetween(1L, (long) SPLIT_SIZE);
        });
        assertThat(splits.stream().filter(FileSplit::gzip))
                .containsExactly(new FileSplit(folder + "/b.log.gz", 0, Files.size(dir.resolve("b.log.gz")), true));
        assertThat(read(splits)).isEqualTo(lines);

        Map<?, ?> job = job(jobId);
        assertThat(job.get("inputPath")).isEqualTo(folder);
        assertThat(job.get("inputTopic")).isNull();
        assertThat(job.get("totalMapTasks")).isEqualTo(3);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> taken.stream().filter(t -> t.jobId().equals(jobId)).count() == 3);
        List<TaskMessage> messages = taken.stream()
                .filter(t -> t.jobId().equals(jobId))
                .sorted(Comparator.comparingInt(TaskMessage::taskIndex))
                .toList();
        assertThat(messages).extracting(TaskMessage::files).isEqualTo(tasks);
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.inputTopic()).isNull();
            assertThat(m.ranges()).isEmpty();
        });
    }

    @Test
    void pathsOutOfTheRootAreA400OnInputPath() throws Exception {
        Path outside = Files.createTempFile("outside", ".log");
        String link = "link-" + UUID.randomUUID() + ".log";
        Files.createSymbolicLink(INPUT_ROOT.resolve(link), outside);
        try {
            for (String path : List.of("../x", "a/../../x", "/etc/passwd", link)) {
                client.post()
                        .uri("/internal/jobs")
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(Map.of("jobName", "escape", "inputPath", path))
                        .exchange()
                        .expectStatus()
                        .isBadRequest()
                        .expectBody()
                        .jsonPath("$.errors[0].field")
                        .isEqualTo("inputPath");
            }
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void aPathThatDoesNotExistIsA422AndTopicWithPathA400NamingBoth() {
        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"missing\",\"inputPath\":\"no/such/folder\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("inputPath")
                .jsonPath("$.detail")
                .isEqualTo("inputPath 'no/such/folder' does not exist under the input root")
                // the error's members in a fixed order (a Map.of gave them in an order chosen per JVM)
                .consumeWith(r -> assertThat(new String(r.getResponseBody(), StandardCharsets.UTF_8))
                        .contains("\"errors\":[{\"field\":\"inputPath\",\"message\":\"inputPath 'no/such/folder'"));
        client.post()
                .uri("/internal/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"jobName\":\"both\",\"inputPath\":\"x\",\"inputTopic\":\"y\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of("inputTopic", "inputPath"));
    }

    // --- helpers ---

    Map<?, ?> job(UUID jobId) {
        return client.get()
                .uri("/internal/jobs/" + jobId)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody();
    }

    /** The offset ranges of each map task of the job. */
    List<List<OffsetRange>> ranges(UUID jobId) {
        return taskInputs(jobId).stream()
                .map(json -> List.of(decode(json, OffsetRange[].class)))
                .toList();
    }

    List<List<FileSplit>> fileTasks(UUID jobId) {
        return taskInputs(jobId).stream()
                .map(json -> List.of(decode(json, FileSplit[].class)))
                .toList();
    }

    List<String> taskInputs(UUID jobId) {
        return jdbc.queryForList(
                "SELECT input::text FROM tasks WHERE job_id = ? AND task_type = 'MAP' ORDER BY task_index",
                String.class,
                jobId);
    }

    static <T> T decode(String json, Class<T> type) {
        return Messages.decode(json.getBytes(StandardCharsets.UTF_8), type);
    }

    /** The values of the records the map tasks read, as map workers read them. */
    static List<String> records(String topic, List<List<OffsetRange>> tasks) throws IOException {
        List<String> values = new ArrayList<>();
        try (KafkaRangeReaders readers = new KafkaRangeReaders(TestKafka.bootstrapServers(), "job-input-it")) {
            for (List<OffsetRange> ranges : tasks) {
                new KafkaRangeSource(readers, topic, ranges, Duration.ofSeconds(10), new Cancellation())
                        .forEachLine(collect(values));
            }
        }
        return values;
    }

    /** The lines of {@code splits} under the input root, in order, as a map worker reads them. */
    static List<String> read(List<FileSplit> splits) throws IOException {
        List<String> lines = new ArrayList<>();
        for (FileSplit s : splits) {
            new InputSplit(INPUT_ROOT.resolve(s.path()), s.start(), s.end(), s.gzip()).forEachLine(collect(lines));
        }
        return lines;
    }

    static LineHandler collect(List<String> into) {
        return new LineHandler() {
            @Override
            public void line(byte[] buf, int off, int len) {
                into.add(new String(buf, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void oversizedLine() {
                throw new AssertionError("no line is that long");
            }
        };
    }
}
