package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.input.LineHandler;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.runtime.testing.TestKafka;
import dev.mapreduce.testing.FormatGen;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Multi-line events from a topic written one line per record (as log shippers write it): however a
 * partition is cut into offset ranges, the ranges together read exactly the events of one
 * sequential read, each whole and once, in order; and the events of a 3-partition topic are those
 * of the file it came from.
 */
class KafkaRangeEventsIT {

    static final EventStart LOG4J =
            Formats.compile(FormatSpec.of("log4j")).eventStart().orElseThrow();
    static final String ONE = "events-one-partition";
    static final String THREE = "events-three-partitions";

    static KafkaRangeReaders readers;
    static List<String> expected;
    /** Records of the one-partition topic. */
    static int records;
    /** The events of each partition of the three-partition topic, and their record counts. */
    static final Map<Integer, Integer> recordsOf = new HashMap<>();

    @BeforeAll
    static void produce() throws Exception {
        String servers = TestKafka.bootstrapServers();
        TestKafka.createTopics(new NewTopic(ONE, 1, (short) 1), new NewTopic(THREE, 3, (short) 1));
        FormatGen gen = new FormatGen(31);
        expected = new ArrayList<>();
        expected.add("\tat com.shop.Left.over(Left.java:1)\n\t... 3 more"); // the partition starts mid-trace
        for (int i = 0; i < 1500; i++) {
            expected.add(gen.log4j().text());
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers, ProducerConfig.LINGER_MS_CONFIG, 5),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int e = 0; e < expected.size(); e++) {
                for (String line : expected.get(e).split("\n", -1)) {
                    byte[] value = line.getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(ONE, 0, null, value));
                    records++;
                    if (e > 0) {
                        int partition = e % 3; // an event's lines stay in one partition, as a keyed producer keeps them
                        producer.send(new ProducerRecord<>(THREE, partition, null, value));
                        recordsOf.merge(partition, 1, Integer::sum);
                    }
                }
            }
            producer.flush();
        }
        readers = new KafkaRangeReaders(servers, "range-events-test");
    }

    @AfterAll
    static void close() {
        readers.close();
    }

    static List<String> read(String topic, List<OffsetRange> ranges) throws IOException {
        return read(topic, ranges, Duration.ofSeconds(20));
    }

    static List<String> read(String topic, List<OffsetRange> ranges, Duration stallTimeout) throws IOException {
        List<String> events = new ArrayList<>();
        new KafkaRangeSource(readers, topic, ranges, stallTimeout, new Cancellation())
                .forEachRecord(LOG4J, false, new LineHandler() {
                    @Override
                    public void line(byte[] buf, int off, int len) {
                        events.add(new String(buf, off, len, StandardCharsets.UTF_8));
                    }

                    @Override
                    public void oversizedLine() {
                        events.add("<oversized>");
                    }
                });
        return events;
    }

    static List<String> readInPieces(String topic, int partition, long end, List<Long> cuts) throws IOException {
        List<String> events = new ArrayList<>();
        long start = 0;
        for (long cut : cuts) {
            events.addAll(read(topic, List.of(new OffsetRange(partition, start, cut))));
            start = cut;
        }
        events.addAll(read(topic, List.of(new OffsetRange(partition, start, end))));
        return events;
    }

    @Test
    void oneRangeReadsTheEventsOfTheFile() throws IOException {
        assertThat(read(ONE, List.of(new OffsetRange(0, 0, records)))).isEqualTo(expected);
    }

    @Test
    void rangesCutAnywhereReadEachEventOnceWhole() throws IOException {
        SplittableRandom random = new SplittableRandom(9);
        for (int pieces : List.of(3, 8)) {
            List<Long> cuts = new ArrayList<>();
            for (int k = 1; k < pieces; k++) {
                cuts.add((long) records * k / pieces);
            }
            assertThat(readInPieces(ONE, 0, records, cuts))
                    .as("%d ranges", pieces)
                    .isEqualTo(expected);
        }
        for (int round = 0; round < 5; round++) {
            List<Long> cuts = new ArrayList<>();
            for (int k = 0; k < random.nextInt(1, 12); k++) {
                cuts.add(random.nextLong(1, records));
            }
            cuts.sort(null);
            assertThat(readInPieces(ONE, 0, records, cuts)).as("cuts %s", cuts).isEqualTo(expected);
        }
    }

    @Test
    void aThreePartitionTopicHoldsTheEventsOfTheFile() throws IOException {
        List<String> all = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int n = recordsOf.get(p);
            all.addAll(readInPieces(THREE, p, n, List.of((long) n / 3, (long) n * 2 / 3)));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected.subList(1, expected.size()));
        List<OffsetRange> whole = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            whole.add(new OffsetRange(p, 0, recordsOf.get(p)));
        }
        assertThat(read(THREE, whole)).containsExactlyInAnyOrderElementsOf(expected.subList(1, expected.size()));
    }

    @Test
    void aRangeThatStartsInsideAnEventLeavesItToTheRangeBefore() throws IOException {
        // the second record is a continuation of the orphan event: a range starting there owns nothing before the next
        // start
        List<String> fromOne = read(ONE, List.of(new OffsetRange(0, 1, records)));
        assertThat(fromOne).isEqualTo(expected.subList(1, expected.size()));
    }

    @Test
    void aRangePastTheEndOfThePartitionFailsNamingWhatThePartitionHolds() {
        assertThatThrownBy(() -> read(ONE, List.of(new OffsetRange(0, records + 5L, records + 9L))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("partition 0 [" + (records + 5) + ", " + (records + 9) + ")")
                .hasMessageContaining("the partition holds [0, " + records + ")");
    }

    @Test
    void aRangeEndingPastTheEndOfThePartitionStallsNamingWhereThePartitionEnds() {
        assertThatThrownBy(
                        () -> read(ONE, List.of(new OffsetRange(0, records - 3L, records + 4L)), Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no records from topic " + ONE + " partition 0 [" + (records - 3) + ", ")
                .hasMessageEndingWith("(the partition ends at offset " + records + ")");
    }
}
