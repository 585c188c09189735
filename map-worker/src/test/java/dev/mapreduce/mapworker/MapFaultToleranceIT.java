package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.protocol.AttemptRef;
import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.OffsetRange;
import dev.mapreduce.protocol.ShuffleKeys;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The running map worker heartbeats, obeys cancellations and injects the faults it is told to. */
class MapFaultToleranceIT extends RunningMapWorker {

    private static final int REDUCERS = 3;
    /** Longer than any test waits: a stalled attempt ends only by being cancelled. */
    private static final TestFaults STALL = new TestFaults(true, 0, false, 0, false, 600_000, null, null);

    @Autowired
    MapTaskHandler handler;

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;
    private final List<UUID> jobs = new ArrayList<>();

    @BeforeEach
    void connect() {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
    }

    @AfterEach
    void disconnect() {
        handler.injectFaults(TestFaults.NONE);
        jobs.forEach(job -> coordinator.send(ControlMessage.cancelJob(job))); // frees the worker if a test failed
        jobs.forEach(shuffle::deleteJob);
        events.close();
        coordinator.close();
        shuffle.close();
    }

    @Test
    void heartbeatsListTheAttemptTheWorkerIsRunning() throws Exception {
        handler.injectFaults(STALL);
        TaskMessage task = mapTask(newJob(), topicWith(10), 1);

        coordinator.send(task);

        events.awaitEvent(task.jobId(), 0, 1, Kind.STARTED);
        TaskEvent heartbeat = events.awaitHeartbeat(WORKER_ID, AttemptRef.of(task));
        assertThat(heartbeat.type()).isEqualTo(TaskType.MAP);
        assertThat(heartbeat.running()).containsExactly(AttemptRef.of(task));

        coordinator.send(ControlMessage.cancelAttempt(AttemptRef.of(task)));

        List<TaskEvent> reported = events.awaitEvent(task.jobId(), 0, 1, Kind.ABORTED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.ABORTED);
        assertThat(reported.get(1).error()).isEqualTo("attempt cancelled by the coordinator");
    }

    @Test
    void cancellingItsJobStopsAStalledAttemptWhichStoresNoRuns() throws Exception {
        handler.injectFaults(STALL);
        UUID jobId = newJob();

        coordinator.send(mapTask(jobId, topicWith(20), 1));
        events.awaitEvent(jobId, 0, 1, Kind.STARTED);
        coordinator.send(ControlMessage.cancelJob(jobId));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.ABORTED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.ABORTED);
        assertThat(reported.get(1).error()).isEqualTo("job " + jobId + " was cancelled");
        assertThat(shuffleKeys(jobId)).isEmpty();
    }

    @Test
    void cancellingStopsAnAttemptWhileItWaitsForItsInput() throws Exception {
        UUID jobId = newJob();
        String empty = topicWith(0);

        coordinator.send(new TaskMessage(
                jobId,
                TaskType.MAP,
                0,
                1,
                "WORD_COUNT",
                "SUM",
                Map.of(),
                true,
                REDUCERS,
                empty,
                List.of(new OffsetRange(0, 0, 5)),
                List.of(),
                null));
        events.awaitEvent(jobId, 0, 1, Kind.STARTED);
        coordinator.send(ControlMessage.cancelJob(jobId));

        // well within the 10 s the read would wait before failing the attempt
        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.ABORTED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.ABORTED);
        assertThat(shuffleKeys(jobId)).isEmpty();
    }

    @Test
    void withTheFirstAttemptsFailingAttemptOneFailsAndAttemptTwoSucceeds() throws Exception {
        handler.injectFaults(new TestFaults(true, 1, false, 0, false, 0, null, null));
        UUID jobId = newJob();
        String topic = topicWith(10);

        coordinator.send(mapTask(jobId, topic, 1));

        List<TaskEvent> first = events.awaitEvent(jobId, 0, 1, Kind.FAILED);
        assertThat(first.get(first.size() - 1).error())
                .isEqualTo("InjectedFaultException: injected failure of attempt " + jobId + "/map-0#1");
        assertThat(shuffleKeys(jobId)).isEmpty();

        coordinator.send(mapTask(jobId, topic, 2));

        List<TaskEvent> second = events.awaitEvent(jobId, 0, 2, Kind.SUCCEEDED);
        assertThat(second.get(second.size() - 1).counters().recordsRead()).isEqualTo(10);
        assertThat(shuffleKeys(jobId)).hasSize(REDUCERS).allSatisfy(key -> assertThat(key)
                .endsWith(":m0:a2"));
    }

    private UUID newJob() {
        UUID jobId = UUID.randomUUID();
        jobs.add(jobId);
        return jobId;
    }

    private static TaskMessage mapTask(UUID jobId, String topic, int attempt) {
        return new TaskMessage(
                jobId,
                TaskType.MAP,
                0,
                attempt,
                "SERVICE_DISTRIBUTION",
                "COUNT",
                Map.of(),
                true,
                REDUCERS,
                topic,
                List.of(new OffsetRange(0, 0, 10)),
                List.of(),
                null);
    }

    /** A one-partition topic holding {@code records} log lines. */
    private static String topicWith(int records) throws Exception {
        String topic = "map-faults-" + UUID.randomUUID();
        TestKafka.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                String line = "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"svc-" + (i % 4)
                        + "\",\"message\":\"m\"}";
                producer.send(new ProducerRecord<>(topic, 0, null, line.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        return topic;
    }

    private static List<String> shuffleKeys(UUID jobId) {
        try (RedisClient client = RedisClient.create(REDIS_URL);
                StatefulRedisConnection<String, String> redis = client.connect()) {
            List<String> keys = new ArrayList<>();
            ScanIterator.scan(redis.sync(), ScanArgs.Builder.matches(ShuffleKeys.jobPattern(jobId)))
                    .forEachRemaining(keys::add);
            return keys;
        }
    }
}
