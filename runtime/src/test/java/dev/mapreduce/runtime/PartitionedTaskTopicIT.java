package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Task topics with several partitions, on a broker of their own (the shared test broker's task
 * topics have one): one job's tasks spread over the partitions, and the share group still hands
 * each task to exactly one of the workers.
 */
class PartitionedTaskTopicIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int PARTITIONS = 3;

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of(
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "group.initial.rebalance.delay.ms", "0",
                "group.share.min.heartbeat.interval.ms", "1000",
                "group.share.heartbeat.interval.ms", "1000",
                "auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
    }

    @Test
    void everyTaskOfAJobSpreadOverThePartitionsIsTakenOnce() throws Exception {
        KafkaClientConfig kafka = KafkaClientConfig.of(broker.getBrokersAsString());
        try (Admin admin = KafkaSetup.admin(kafka, TIMEOUT)) {
            KafkaSetup.ensureTopicsAndGroups(
                    admin, TIMEOUT, new InternalTopics(PARTITIONS, OptionalInt.empty(), OptionalInt.empty()));
            assertThat(admin.describeTopics(List.of(Topics.MAP_TASKS))
                            .allTopicNames()
                            .get()
                            .get(Topics.MAP_TASKS)
                            .partitions())
                    .hasSize(PARTITIONS);

            UUID job =
                    UUID.fromString("6f1f5f0e-2a4b-4c6d-8e9f-0a1b2c3d4e5f"); // fixed: the spread is the same each run
            List<TaskMessage> tasks = IntStream.range(0, 24)
                    .mapToObj(i -> new TaskMessage(
                            job,
                            TaskType.MAP,
                            i,
                            1,
                            "WORD_COUNT",
                            "SUM",
                            Map.of(),
                            true,
                            1,
                            "t",
                            null,
                            null,
                            List.of()))
                    .toList();
            Queue<Integer> taken = new ConcurrentLinkedQueue<>();
            List<TaskConsumer> consumers = new ArrayList<>();
            try (KafkaMessages messages = new KafkaMessages(kafka, "partitioned-it", TIMEOUT)) {
                for (String worker : List.of("w1", "w2")) {
                    consumers.add(new TaskConsumer(
                                    kafka.bootstrapServers(), TaskType.MAP, worker, t -> taken.add(t.taskIndex()))
                            .start());
                }
                messages.sendAll(tasks);

                await().atMost(Duration.ofSeconds(60)).until(() -> taken.size() >= tasks.size());
            } finally {
                consumers.forEach(TaskConsumer::close);
            }

            assertThat(taken)
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.range(0, 24).boxed().toList());
            var ends = admin.listOffsets(Map.of(
                            new TopicPartition(Topics.MAP_TASKS, 0), OffsetSpec.latest(),
                            new TopicPartition(Topics.MAP_TASKS, 1), OffsetSpec.latest(),
                            new TopicPartition(Topics.MAP_TASKS, 2), OffsetSpec.latest()))
                    .all()
                    .get();
            assertThat(ends.values()).allSatisfy(end -> assertThat(end.offset()).isPositive());
        }
    }
}
