package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.protocol.Topics;
import dev.mapreduce.runtime.testing.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ShareMemberDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client properties from the environment reach the real clients the framework builds. */
class KafkaClientPropertiesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @BeforeAll
    static void topics() {
        try (var admin = KafkaSetup.admin(TestKafka.bootstrapServers(), TIMEOUT)) {
            KafkaSetup.ensureTopicsAndGroups(admin, TIMEOUT);
        }
    }

    @Test
    void theBrokerSeesTheClientIdOfTheEnvironmentOnATaskConsumer() throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "client.id=from-the-file\n");
        KafkaClientConfig kafka = KafkaClientConfig.fromEnvironment(
                TestKafka.bootstrapServers(),
                Map.of(
                        "MAPREDUCE_KAFKA_PROPERTIES_FILE",
                        file.toString(),
                        "MAPREDUCE_KAFKA_PROPERTIES_CLIENT_ID",
                        "ops-chosen-client-id"));

        TaskConsumer consumer =
                new TaskConsumer(kafka, TaskType.REDUCE, "worker-1", 0, new NoTasks(), new RunningAttempts()).start();
        try (Admin admin = KafkaSetup.admin(TestKafka.bootstrapServers(), TIMEOUT)) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(admin.describeShareGroups(List.of(Topics.REDUCE_WORKERS_GROUP))
                                    .all()
                                    .get()
                                    .get(Topics.REDUCE_WORKERS_GROUP)
                                    .members())
                            .extracting(ShareMemberDescription::clientId)
                            .contains("ops-chosen-client-id"));
        } finally {
            consumer.close();
        }
    }

    @Test
    void aSecurityProtocolTheBrokerDoesNotSpeakMakesTheAdminFail() {
        KafkaClientConfig kafka = KafkaClientConfig.fromEnvironment(
                TestKafka.bootstrapServers(),
                Map.of(
                        "MAPREDUCE_KAFKA_PROPERTIES_SECURITY_PROTOCOL",
                        "SASL_PLAINTEXT",
                        "MAPREDUCE_KAFKA_PROPERTIES_SASL_MECHANISM",
                        "PLAIN",
                        "MAPREDUCE_KAFKA_PROPERTIES_SASL_JAAS_CONFIG",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\"u\" password=\"p\";"));

        try (Admin admin = KafkaSetup.admin(kafka, Duration.ofSeconds(3))) {
            assertThatThrownBy(() -> KafkaSetup.ensureTopicsAndGroups(admin, Duration.ofSeconds(3)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("mechanism PLAIN");
        }
    }

    private static final class NoTasks implements TaskHandler {
        @Override
        public void start(dev.mapreduce.protocol.TaskMessage task) {}

        @Override
        public void run(dev.mapreduce.protocol.TaskMessage task, Cancellation cancellation) {}
    }
}
