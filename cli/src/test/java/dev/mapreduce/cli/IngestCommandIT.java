package dev.mapreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** {@code mr ingest} against a real (embedded KRaft) broker. */
class IngestCommandIT {

    private static final EmbeddedKafkaKraftBroker BROKER = new EmbeddedKafkaKraftBroker(1, 1);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startBroker() {
        BROKER.brokerProperties(Map.of("auto.create.topics.enable", "false"));
        BROKER.afterPropertiesSet();
    }

    @AfterAll
    static void stopBroker() {
        BROKER.destroy();
    }

    private int mr(String... args) {
        String[] withBroker = new String[args.length + 2];
        withBroker[0] = "ingest";
        withBroker[1] = "--bootstrap-servers=" + BROKER.getBrokersAsString();
        System.arraycopy(args, 0, withBroker, 2, args.length);
        return Mr.execute(new PrintWriter(out, true), new PrintWriter(err, true), withBroker);
    }

    @Test
    void everyLineBecomesOneRecordSplitAsMrLocalSplitsIt() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("logs"));
        // an empty line, CRLF, a lone CR, a byte that is not UTF-8 and a last line without a terminator
        Files.write(
                folder.resolve("a.log"),
                bytes("{\"level\":\"INFO\"}\n\nsecond\r\nthird\rfourth\r\n\r\n\u00ff\n", "last"));
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(folder.resolve("b.log.gz")))) {
            gz.write(bytes("gz one\r\n", "gz two\n\ngz three\n"));
        }
        Files.writeString(folder.resolve(".hidden"), "skipped\n");

        assertThat(mr("--topic", "ingest-lines", "--partitions", "3", folder.toString()))
                .as(err.toString())
                .isZero();

        assertThat(out.toString()).startsWith("ingested 12 lines into ingest-lines (3 partitions) in ");
        assertThat(err.toString()).contains("created topic ingest-lines (3 partitions)");
        List<ConsumerRecord<byte[], byte[]>> records = readAll("ingest-lines");
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isNull());
        assertThat(records.stream().map(r -> new String(r.value(), StandardCharsets.ISO_8859_1)))
                .containsExactlyInAnyOrder(
                        "{\"level\":\"INFO\"}",
                        "",
                        "second",
                        "third",
                        "fourth",
                        "",
                        "\u00ff",
                        "last",
                        "gz one",
                        "gz two",
                        "",
                        "gz three");
    }

    @Test
    void ifEmptySkipsATopicThatHoldsRecords() throws IOException {
        Path file = dir.resolve("x.log");
        Files.writeString(file, "one\ntwo\n");
        assertThat(mr("-t", "ingest-twice", "--if-empty", file.toString())).isZero();
        assertThat(mr("-t", "ingest-twice", "--if-empty", file.toString())).isZero();

        assertThat(out.toString()).contains("topic ingest-twice already holds 2 records; ingesting nothing");
        assertThat(readAll("ingest-twice")).hasSize(2);
    }

    @Test
    void anExistingTopicIsUsedWithItsOwnPartitionCount() throws IOException {
        Path file = dir.resolve("x.log");
        Files.writeString(file, "one\n");
        assertThat(mr("-t", "ingest-existing", "--create-only", "-p", "2")).isZero();
        assertThat(out.toString()).contains("topic ingest-existing is ready (2 partitions)");
        assertThat(readAll("ingest-existing")).isEmpty();

        assertThat(mr("-t", "ingest-existing", "-p", "5", file.toString())).isZero();

        assertThat(err.toString()).contains("topic ingest-existing already exists with 2 partitions, not 5; using it");
        assertThat(out.toString()).contains("ingested 1 lines into ingest-existing (2 partitions)");
        assertThat(readAll("ingest-existing")).hasSize(1);
    }

    @Test
    void aLineLongerThanTheTopicAcceptsStopsWithOneClearLine() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString()))) {
            admin.createTopics(List.of(
                            new NewTopic("ingest-small", 1, (short) 1).configs(Map.of("max.message.bytes", "4000"))))
                    .all()
                    .get();
        }
        Path file = dir.resolve("x.log");
        Files.writeString(file, "short\n" + "x".repeat(5000) + "\n");

        assertThat(mr("-t", "ingest-small", file.toString())).isEqualTo(1);

        assertThat(err.toString().strip())
                .startsWith("mr: line 2 of " + file + " is 5000 bytes, more than topic ingest-small accepts")
                .doesNotContain("\n");
    }

    @Test
    void withAFormatEachRecordIsStampedWithItsEventTimeSoATimeRangeSelectsByWhenEventsHappened() throws Exception {
        dev.mapreduce.testing.FormatGen gen = new dev.mapreduce.testing.FormatGen(21);
        List<dev.mapreduce.testing.FormatGen.Line> lines = gen.lines(3000, () -> gen.access(true));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(
                            untimed(i)
                                    ? "not an access log line " + i
                                    : lines.get(i).text())
                    .append('\n');
        }
        Path log = dir.resolve("access.log");
        Files.writeString(log, text);
        assertThat(mr("--topic", "ingest-times", "--partitions", "3", "--format", "apache_combined", log.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString())
                .contains("ingested 3000 lines into ingest-times (3 partitions)")
                .contains("event time from field timestamp of format apache_combined: 2993 of 3000 lines; 7 took the"
                        + " time of the line before them (first: " + log + " at byte 0: ");
        List<ConsumerRecord<byte[], byte[]>> records = readAll("ingest-times");
        Map<String, Long> expected = new java.util.HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            // a line without a time takes the time of the line before it; the first, that of the first line with one
            int timeOf = !untimed(i) ? i : i == 0 ? 1 : i - 1;
            expected.put(
                    untimed(i) ? "not an access log line " + i : lines.get(i).text(),
                    lines.get(timeOf).time().toEpochMilli());
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String value = new String(r.value(), StandardCharsets.UTF_8);
            assertThat(r.timestamp()).as(value).isEqualTo(expected.get(value));
        }
        assertThat(records).hasSize(3000);
        // what a job's from/to does at submit: offsetsForTimes per partition, [from, to) of event time
        java.time.Instant from = lines.get(1000).time();
        java.time.Instant to = lines.get(2000).time();
        long inRange = records.stream()
                .filter(r -> !new String(r.value(), StandardCharsets.UTF_8).startsWith("not an access"))
                .filter(r -> r.timestamp() >= from.toEpochMilli() && r.timestamp() < to.toEpochMilli())
                .count();
        long expectedInRange = java.util.stream.IntStream.range(0, lines.size())
                .filter(i -> !untimed(i))
                .mapToObj(i -> lines.get(i).time())
                .filter(t -> !t.isBefore(from) && t.isBefore(to))
                .count();
        assertThat(inRange).isEqualTo(expectedInRange).isGreaterThan(900);
    }

    /** The lines of the event-time test that are not access log lines: the first, and one in 500. */
    private static boolean untimed(int i) {
        return i == 0 || i % 500 == 7;
    }

    @Test
    void aFormatWithMultiLineEventsSendsEachEventAsOneRecord() throws IOException {
        dev.mapreduce.testing.FormatGen gen = new dev.mapreduce.testing.FormatGen(22);
        List<dev.mapreduce.testing.FormatGen.Line> events = gen.lines(500, gen::log4j);
        Path log = dir.resolve("app.log");
        Files.writeString(
                log,
                String.join(
                                "\n",
                                events.stream()
                                        .map(dev.mapreduce.testing.FormatGen.Line::text)
                                        .toList()) + "\n");
        assertThat(mr("--topic", "ingest-events", "--partitions", "3", "--format", "log4j", log.toString()))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("ingested 500 events into ingest-events (3 partitions)");
        assertThat(readAll("ingest-events").stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)))
                .containsExactlyInAnyOrderElementsOf(events.stream()
                        .map(dev.mapreduce.testing.FormatGen.Line::text)
                        .toList());
    }

    @Test
    void aFormatWithoutAnEventTimeIsAUsageError() throws IOException {
        Path log = dir.resolve("x.log");
        Files.writeString(log, "{}\n");
        assertThat(mr("--topic", "ingest-no-time", "--format", "json", log.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("format json has no event time");
    }

    @Test
    void progressIsDrawnOnStderrWhenAskedAndClearedAtTheEnd() throws IOException {
        Path file = dir.resolve("app.log");
        Files.writeString(file, "one\ntwo\nthree\n");

        assertThat(mr("--topic", "ingest-progress", "--progress", file.toString()))
                .as(err.toString())
                .isZero();

        String progress = err.toString().replace("mr ingest: created topic ingest-progress (1 partition)\n", "");
        assertThat(progress)
                .startsWith("\rmr ingest: 0 B of 14 B (0%), 0 lines")
                .endsWith("\r");
        assertThat(progress.substring(progress.lastIndexOf('\r', progress.length() - 2)))
                .as("the last thing drawn blanks the line")
                .isBlank();
        assertThat(out.toString()).startsWith("ingested 3 lines into ingest-progress");
        assertThat(readAll("ingest-progress")).hasSize(3);
    }

    @Test
    void withoutATerminalOrProgressNoLineIsDrawn() throws IOException {
        Path file = dir.resolve("app.log");
        Files.writeString(file, "one\n");

        assertThat(mr("--topic", "ingest-quiet", file.toString()))
                .as(err.toString())
                .isZero();
        assertThat(mr("--topic", "ingest-quiet", "--no-progress", file.toString()))
                .as(err.toString())
                .isZero();

        assertThat(err.toString()).isEqualTo("mr ingest: created topic ingest-quiet (1 partition)\n");
    }

    private static byte[] bytes(String... parts) {
        return String.join("", parts).getBytes(StandardCharsets.ISO_8859_1); // one byte per char
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime())
                        .as("records read before the deadline")
                        .isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
