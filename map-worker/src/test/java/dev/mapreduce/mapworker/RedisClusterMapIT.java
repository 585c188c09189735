package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.KafkaRangeReaders;
import dev.mapreduce.runtime.KafkaSetup;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMetrics;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.redis.RedisAuth;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.s3.S3Settings;
import dev.mapreduce.runtime.s3.S3Store;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import dev.mapreduce.runtime.testing.TestRedisCluster;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * A map attempt whose shuffle is a real 3-master Redis Cluster (REDIS_CLUSTER_NODES): its runs,
 * one per reduce partition over the masters, read back exact, and the job's delete removes them.
 */
class RedisClusterMapIT {

    private static final int REDUCERS = 8;
    private static final List<String> SERVICES = List.of("order-service", "payment-service", "auth", "inventory");

    @TempDir
    static Path clusterDir;

    private static TestRedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestRedisCluster.start(clusterDir, 3);
        try (var kafka = KafkaSetup.admin(TestKafka.bootstrapServers(), Duration.ofSeconds(10))) {
            KafkaSetup.ensureTopicsAndGroups(kafka, Duration.ofSeconds(10));
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMapAttemptsRunsOnTheClusterReadBackExactAndAreDeletedWithTheJob() throws Exception {
        String topic = "map-cluster-" + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        Map<String, Long> expected = new TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 60; i++) {
                String service = SERVICES.get(i * 7 % SERVICES.size());
                expected.merge(service, 1L, Long::sum);
                String line = "{\"timestamp\":\"2026-11-20T00:00:00.001Z\",\"level\":\"INFO\",\"service\":\"" + service
                        + "\",\"message\":\"request served\"}";
                producer.send(new ProducerRecord<>(topic, 0, null, line.getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
        UUID jobId = UUID.randomUUID();
        TaskMessage task = new TaskMessage(
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
                List.of(new OffsetRange(0, 0, 60)),
                List.of(),
                null);

        try (ShuffleStore shuffle =
                        new RedisShuffleStore("redis://127.0.0.1:1", cluster.nodes(), Duration.ofSeconds(10));
                KafkaMessages events =
                        new KafkaMessages(TestKafka.bootstrapServers(), "map-cluster", Duration.ofSeconds(10));
                KafkaRangeReaders input = new KafkaRangeReaders(TestKafka.bootstrapServers(), "map-cluster-input");
                TaskEvents reported = new TaskEvents(TestKafka.bootstrapServers())) {
            MapTaskHandler handler = new MapTaskHandler(
                    properties(),
                    shuffle,
                    input,
                    events,
                    new TaskMetrics(new SimpleMeterRegistry(), TaskType.MAP),
                    new S3Store(S3Settings.defaults()));

            handler.start(task);
            handler.run(task, new Cancellation());

            List<TaskEvent> attempt = reported.awaitEvent(jobId, 0, 1, Kind.SUCCEEDED);
            assertThat(attempt).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.SUCCEEDED);
            Map<String, Long> stored = new TreeMap<>();
            for (int partition = 0; partition < REDUCERS; partition++) {
                RunReader run = new RunReader(shuffle.fetchRuns(jobId, partition, List.of(new MapRunRef(0, 1)))
                        .get(0));
                while (run.next()) {
                    stored.put(new String(run.key(), 0, run.keyLength(), StandardCharsets.UTF_8), run.a());
                }
            }
            assertThat(stored).isEqualTo(expected);

            assertThat(shuffle.deleteJob(jobId)).isEqualTo(REDUCERS);
            assertThat(shuffle.missingRuns(jobId, 3, List.of(new MapRunRef(0, 1))))
                    .containsExactly(0);
        }
    }

    private MapWorkerProperties properties() {
        return new MapWorkerProperties(
                TestKafka.bootstrapServers(),
                "redis://127.0.0.1:1",
                cluster.nodes(),
                RedisAuth.NONE,
                "map-redis-cluster",
                Duration.ofMinutes(10),
                DataSize.ofMegabytes(4),
                null,
                Duration.ofSeconds(10),
                DataSize.ofMegabytes(8),
                DataSize.ofMegabytes(2),
                5_000,
                Duration.ofSeconds(1),
                1,
                "data",
                Duration.ofMinutes(2),
                TestFaults.NONE);
    }
}
