package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.protocol.ControlMessage;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A broker set up as production ones are ({@code min.insync.replicas=2}) but whose default
 * replication factor is 1: the topics a service would create there could take no write with
 * {@code acks=all}, so the service refuses to start and says why.
 */
class StrictBrokerIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static EmbeddedKafkaKraftBroker broker;

    @BeforeAll
    static void start() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperties(Map.of(
                "min.insync.replicas", "2",
                "default.replication.factor", "1",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "offsets.topic.replication.factor", "1",
                "auto.create.topics.enable", "false"));
        broker.afterPropertiesSet();
    }

    @AfterAll
    static void stop() {
        broker.destroy();
    }

    @Test
    void theStartStopsNamingTheTopicUntilItsMinInsyncFitsItsReplicas() throws Exception {
        try (Admin admin = KafkaSetup.admin(broker.getBrokersAsString(), TIMEOUT)) {
            assertThatThrownBy(() -> KafkaSetup.ensureTopicsAndGroups(admin, TIMEOUT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(
                            "topic " + Topics.MAP_TASKS + " has replication factor 1 but min.insync.replicas=2")
                    .hasMessageContaining("topic " + Topics.TASK_EVENTS)
                    .hasMessageContaining("acks=all");

            // the topics it created are used as they are: an administrator lowers their setting
            var settings = new InternalTopics(1, OptionalInt.of(1), OptionalInt.of(1));
            for (String topic : List.of(Topics.MAP_TASKS, Topics.REDUCE_TASKS, Topics.TASK_EVENTS, Topics.CONTROL)) {
                admin.incrementalAlterConfigs(Map.of(
                                new ConfigResource(ConfigResource.Type.TOPIC, topic),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry("min.insync.replicas", "1"), AlterConfigOp.OpType.SET))))
                        .all()
                        .get();
            }

            KafkaSetup.ensureTopicsAndGroups(admin, TIMEOUT, settings);

            try (KafkaMessages messages = new KafkaMessages(broker.getBrokersAsString(), "strict-broker-it", TIMEOUT)) {
                messages.send(ControlMessage.cancelJob(UUID.randomUUID()));
            }
            assertThat(admin.describeTopics(List.of(Topics.CONTROL))
                            .allTopicNames()
                            .get()
                            .get(Topics.CONTROL)
                            .partitions())
                    .hasSize(1);
        }
    }
}
