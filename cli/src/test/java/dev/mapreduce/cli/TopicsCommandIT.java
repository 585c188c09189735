package dev.mapreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** {@code mr topics} against a real (embedded KRaft) broker that, like ours, creates no topic by itself. */
class TopicsCommandIT {

    private static final EmbeddedKafkaKraftBroker BROKER = new EmbeddedKafkaKraftBroker(1, 1);

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
        return Mr.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void createMakesTheTopicWithItsPartitionsAndListShowsIt() throws Exception {
        String servers = "--bootstrap-servers=" + BROKER.getBrokersAsString();

        assertThat(mr("topics", "create", "nginx-logs", "--partitions", "3", servers))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("topic nginx-logs is ready (3 partitions)");
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString());
        try (Admin admin = Admin.create(config)) {
            assertThat(admin.describeTopics(java.util.List.of("nginx-logs"))
                            .allTopicNames()
                            .get()
                            .get("nginx-logs")
                            .partitions())
                    .hasSize(3);
        }

        out.getBuffer().setLength(0);
        assertThat(mr("topics", "list", "--json", servers)).as(err.toString()).isZero();
        assertThat(out.toString()).contains("{\"topic\":\"nginx-logs\",\"partitions\":3}");
    }

    @Test
    void clientPropertiesFromAFileAndFromXReachTheClients(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String servers = "--bootstrap-servers=" + BROKER.getBrokersAsString();
        java.nio.file.Path file = java.nio.file.Files.writeString(
                dir.resolve("client.properties"), "client.id=ops-tools\nrequest.timeout.ms=5000\n");

        assertThat(mr(
                        "topics",
                        "create",
                        "with-properties",
                        servers,
                        "--kafka-properties",
                        file.toString(),
                        "-X",
                        "client.id=mr-ops"))
                .as(err.toString())
                .isZero();
        assertThat(out.toString()).contains("topic with-properties is ready");
        err.getBuffer().setLength(0);

        // the broker speaks PLAINTEXT: a client told to authenticate with SASL PLAIN is refused
        assertThat(mr(
                        "topics",
                        "list",
                        servers,
                        "--timeout",
                        "3",
                        "-X",
                        "security.protocol=SASL_PLAINTEXT",
                        "-X",
                        "sasl.mechanism=PLAIN",
                        "-X",
                        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\"u\" password=\"p\";"))
                .isEqualTo(1);
        assertThat(err.toString())
                .startsWith("mr: cannot list the topics of Kafka")
                .contains("mechanism PLAIN");
    }

    @Test
    void creatingATopicThatExistsLeavesItAsItIs() {
        String servers = "--bootstrap-servers=" + BROKER.getBrokersAsString();
        assertThat(mr("topics", "create", "twice", "-p", "2", servers)).isZero();

        assertThat(mr("topics", "create", "twice", "-p", "4", servers)).isZero();

        assertThat(err.toString()).contains("topic twice already exists with 2 partitions, not 4; using it as it is");
    }

    @Test
    void aBadNameOrCountIsAUsageError() {
        assertThat(mr("topics", "create", "bad name!", "--bootstrap-servers=" + BROKER.getBrokersAsString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("invalid --topic");
        assertThat(mr("topics", "create", "t", "--partitions", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--partitions must be at least 1, got 0");
    }
}
