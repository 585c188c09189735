package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.OffsetRange;
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
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A real map worker taking tasks from Kafka, reading real input records and writing runs to Redis. */
class MapWorkerIT extends RunningMapWorker {

    /** More partitions than services, so some runs must be empty. */
    private static final int REDUCERS = 8;

    private static final int RECORDS_PER_PARTITION = 40;
    private static final List<String> SERVICES =
            List.of("order-service", "payment-service", "auth", "inventory-service", "søk-tjeneste", "支付服务");
    /** Every record outside the task's ranges has this service, so reading one would show in the output. */
    private static final String OUTSIDE = "outside-the-range";

    @Autowired
    MeterRegistry meters;

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;

    @BeforeEach
    void connect() {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
    }

    @AfterEach
    void disconnect() {
        events.close();
        coordinator.close();
        shuffle.close();
    }

    @Test
    void mapsExactlyItsOffsetRangesIntoOneSortedRunPerReducePartition() throws Exception {
        String topic = "map-it-" + UUID.randomUUID();
        List<OffsetRange> ranges = List.of(
                new OffsetRange(0, 1, RECORDS_PER_PARTITION),
                new OffsetRange(1, 0, RECORDS_PER_PARTITION),
                new OffsetRange(2, 5, 25));
        Input input = produce(topic, ranges);
        UUID jobId = UUID.randomUUID();
        double completedBefore = completedMapTasks();

        coordinator.send(mapTask(jobId, topic, ranges));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.SUCCEEDED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.SUCCEEDED);
        assertThat(reported).allSatisfy(e -> assertThat(e.workerId()).isEqualTo(WORKER_ID));
        TaskEvent succeeded = reported.get(1);
        assertThat(succeeded.type()).isEqualTo(TaskType.MAP);
        assertThat(succeeded.counters().recordsRead()).isEqualTo(39 + 40 + 20);
        assertThat(succeeded.counters().malformedRecords()).isEqualTo(input.malformed());
        assertThat(succeeded.counters().mapOutputRecords()).isEqualTo(39 + 40 + 20 - input.malformed());
        assertThat(completedMapTasks()).isEqualTo(completedBefore + 1);

        Map<String, Long> stored = new TreeMap<>();
        int emptyRuns = 0;
        for (int partition = 0; partition < REDUCERS; partition++) {
            List<byte[]> runs = shuffle.fetchRuns(jobId, partition, List.of(new MapRunRef(0, 1)));
            RunReader run = new RunReader(runs.get(0));
            emptyRuns += run.entries() == 0 ? 1 : 0;
            byte[] previous = null;
            while (run.next()) {
                byte[] key = Arrays.copyOf(run.key(), run.keyLength());
                assertThat(previous == null || Arrays.compareUnsigned(previous, key) < 0)
                        .as("keys strictly ascending in partition %d", partition)
                        .isTrue();
                assertThat(Math.floorMod(
                                Hashing.murmur3_32_fixed().hashBytes(key).asInt(), REDUCERS))
                        .as("partition of %s", new String(key, StandardCharsets.UTF_8))
                        .isEqualTo(partition);
                assertThat(stored.put(new String(key, StandardCharsets.UTF_8), run.a()))
                        .isNull();
                previous = key;
            }
        }
        assertThat(stored).isEqualTo(input.expected()).doesNotContainKey(OUTSIDE);
        assertThat(emptyRuns).isGreaterThanOrEqualTo(REDUCERS - SERVICES.size());

        try (RedisClient client = RedisClient.create(REDIS_URL);
                StatefulRedisConnection<String, String> redis = client.connect()) {
            for (int partition = 0; partition < REDUCERS; partition++) {
                assertThat(redis.sync().ttl(ShuffleKeys.run(jobId, partition, 0, 1)))
                        .as("TTL of partition %d's run", partition)
                        .isBetween(1L, 3600L);
            }
        }
        shuffle.deleteJob(jobId);
    }

    @Test
    void aTaskWhoseRecordsAreNotInKafkaFailsInsteadOfWaitingForever() {
        UUID jobId = UUID.randomUUID();
        String topic = "map-it-absent-" + UUID.randomUUID();

        coordinator.send(mapTask(jobId, topic, List.of(new OffsetRange(0, 0, 5))));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FAILED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.FAILED);
        assertThat(reported.get(1).error())
                .startsWith("InputStalledException: no records from topic " + topic + " partition 0 [0, 5)")
                .doesNotContain("\n", "\tat ");
    }

    @Test
    void aRangePastTheEndOfItsTopicFails() throws Exception {
        UUID jobId = UUID.randomUUID();
        String topic = "map-it-short-" + UUID.randomUUID();
        produce(topic, List.of(new OffsetRange(0, 0, RECORDS_PER_PARTITION)));

        coordinator.send(mapTask(
                jobId, topic, List.of(new OffsetRange(0, RECORDS_PER_PARTITION + 5, RECORDS_PER_PARTITION + 10))));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FAILED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.FAILED);
        assertThat(reported.get(1).error())
                .startsWith("IOException: records topic " + topic + " partition 0 [45, 50) are ");
    }

    @Test
    void anUnknownMapFunctionFailsTheAttemptWithTheValidNames() {
        UUID jobId = UUID.randomUUID();
        TaskMessage task = new TaskMessage(
                jobId, TaskType.MAP, 3, 2, "NO_SUCH", "SUM", Map.of(), true, 2, "whatever", List.of(), List.of(), null);

        coordinator.send(task);

        List<TaskEvent> reported = events.awaitEvent(jobId, 3, 2, Kind.FAILED);
        assertThat(reported.get(reported.size() - 1).error())
                .startsWith("JobFunctionException: unknown map function 'NO_SUCH'; valid: WORD_COUNT");
    }

    private static TaskMessage mapTask(UUID jobId, String topic, List<OffsetRange> ranges) {
        return new TaskMessage(
                jobId,
                TaskType.MAP,
                0,
                1,
                "SERVICE_DISTRIBUTION",
                "COUNT",
                Map.of(),
                true,
                REDUCERS,
                topic,
                ranges,
                List.of(),
                null);
    }

    private double completedMapTasks() {
        return meters.get("mapreduce.tasks.completed")
                .tag("type", "map")
                .counter()
                .count();
    }

    /** What the produced records inside the ranges hold: service counts and malformed lines. */
    private record Input(Map<String, Long> expected, long malformed) {}

    /**
     * Produces {@link #RECORDS_PER_PARTITION} records into each of three partitions: valid JSON and
     * text lines, malformed lines (empty, no value, not a log line, a missing or non-string field),
     * and records outside the ranges with the service {@link #OUTSIDE}.
     */
    private static Input produce(String topic, List<OffsetRange> ranges)
            throws ExecutionException, InterruptedException {
        TestKafka.createTopic(topic, 3);
        Random random = new Random(42);
        Map<String, Long> expected = new TreeMap<>();
        long malformed = 0;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (OffsetRange range : ranges) {
            for (long offset = 0; offset < RECORDS_PER_PARTITION; offset++) {
                boolean inside = offset >= range.start() && offset < range.end();
                String service = inside ? SERVICES.get(random.nextInt(SERVICES.size())) : OUTSIDE;
                byte[] value =
                        switch (inside ? (int) (offset % 10) : 0) {
                            case 7 -> bytes("");
                            case 8 -> null;
                            case 9 -> bytes(malformedLine(random.nextInt(4)));
                            case 6 ->
                                bytes("2026-11-20T00:00:00.001Z WARN [" + service + "] host-1 a298eb42 - slow call");
                            default ->
                                bytes("{\"timestamp\":\"2026-11-20T00:00:00.00" + offset
                                        + "Z\",\"level\":\"INFO\",\"service\":\"" + service
                                        + "\",\"message\":\"request served\",\"traceId\":\"t" + offset + "\"}");
                        };
                boolean valid = value != null && value.length > 0 && offset % 10 != 9;
                if (inside && valid) {
                    expected.merge(service, 1L, Long::sum);
                } else if (inside) {
                    malformed++;
                }
                records.add(new ProducerRecord<>(topic, range.partition(), null, value));
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record).get(); // one at a time keeps offsets equal to positions in the loop
            }
        }
        return new Input(expected, malformed);
    }

    private static String malformedLine(int kind) {
        return switch (kind) {
            case 0 -> "not a log line";
            case 1 -> "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"order-service\"}";
            case 2 -> "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":42,\"message\":\"m\"}";
            default ->
                "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"auth\",\"message\":\"m\"";
        };
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
