package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.runtime.TopicCheck.Wanted;
import dev.mapreduce.runtime.testing.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Internal topics on a real broker: created with the settings when missing, checked when present. */
class KafkaSetupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static Admin admin;

    @BeforeAll
    static void connect() {
        admin = KafkaSetup.admin(TestKafka.bootstrapServers(), TIMEOUT);
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static String topic() {
        return "setup-it-" + UUID.randomUUID();
    }

    @Test
    void missingTopicsAreCreatedWithThePartitionsAndMinInsyncReplicasAsked() throws Exception {
        String tasks = topic();
        String events = topic();
        var settings = new InternalTopics(3, OptionalInt.of(1), OptionalInt.of(1));

        List<String> warnings = KafkaSetup.ensureTopics(
                admin, TIMEOUT, settings, List.of(new Wanted(tasks, 3, false), new Wanted(events, 1, true)));

        assertThat(warnings).isEmpty();
        var described =
                admin.describeTopics(List.of(tasks, events)).allTopicNames().get();
        assertThat(described.get(tasks).partitions()).hasSize(3);
        assertThat(described.get(events).partitions()).hasSize(1);
        var config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, tasks)))
                .all()
                .get()
                .values()
                .iterator()
                .next()
                .get("min.insync.replicas");
        assertThat(config.value()).isEqualTo("1");
        assertThat(config.source())
                .isEqualTo(org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    @Test
    void aTopicWithFewerReplicasThanMinInsyncStopsTheStartNamingIt() throws Exception {
        String tasks = topic();
        admin.createTopics(List.of(new NewTopic(tasks, 1, (short) 1).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get();

        assertThatThrownBy(() -> KafkaSetup.ensureTopics(
                        admin, TIMEOUT, InternalTopics.DEFAULT, List.of(new Wanted(tasks, 1, false))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic " + tasks + " has replication factor 1 but min.insync.replicas=2")
                .hasMessageContaining("acks=all");
    }

    @Test
    void anEventTopicWithSeveralPartitionsStopsTheStart() throws Exception {
        String events = topic();
        admin.createTopics(List.of(new NewTopic(events, 2, (short) 1))).all().get();

        assertThatThrownBy(() -> KafkaSetup.ensureTopics(
                        admin, TIMEOUT, InternalTopics.DEFAULT, List.of(new Wanted(events, 1, true))))
                .hasMessageContaining("topic " + events + " has 2 partitions");
    }

    @Test
    void aTaskTopicWithOtherPartitionsIsUsedAsItIsWithAWarning() throws Exception {
        String tasks = topic();
        admin.createTopics(List.of(new NewTopic(tasks, 1, (short) 1))).all().get();

        List<String> warnings = KafkaSetup.ensureTopics(
                admin,
                TIMEOUT,
                new InternalTopics(2, OptionalInt.empty(), OptionalInt.empty()),
                List.of(new Wanted(tasks, 2, false)));

        assertThat(warnings)
                .containsExactly("topic " + tasks
                        + " has 1 partitions, KAFKA_TASK_TOPIC_PARTITIONS asks for 2: using it as it is");
    }

    @Test
    void moreReplicasThanBrokersIsAnErrorNamingTheTopic() {
        String tasks = topic();

        assertThatThrownBy(() -> KafkaSetup.ensureTopics(
                        admin,
                        TIMEOUT,
                        new InternalTopics(1, OptionalInt.of(3), OptionalInt.empty()),
                        List.of(new Wanted(tasks, 1, false))))
                .hasMessageStartingWith("cannot create topic " + tasks);
    }
}
