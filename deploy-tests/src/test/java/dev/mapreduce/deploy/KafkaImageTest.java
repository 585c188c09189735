package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.deploy.ComposeFile.Mount;
import dev.mapreduce.deploy.ComposeFile.Service;
import dev.mapreduce.deploy.Dockerfile.Instruction;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Kafka service: the Apache image of our Kafka version, KRaft, with the JMX exporter agent. */
class KafkaImageTest {

    /** -javaagent:jar=port:config, as docker-compose.yml's KAFKA_OPTS starts the exporter. */
    private static final Pattern AGENT = Pattern.compile("-javaagent:(\\S+\\.jar)=(\\d+):(\\S+)");

    private final Service kafka = ComposeFile.load().service("kafka");
    private final Dockerfile dockerfile =
            Dockerfile.read(kafka.build().orElseThrow().dockerfile());

    @Test
    void isTheApacheImageOfTheKafkaVersionTheLocalStackRuns() {
        String version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                .matcher(Repository.read("local-stack/kafka/pom.xml"))
                .results()
                .findFirst()
                .orElseThrow()
                .group(1);
        assertThat(dockerfile.stages().get(dockerfile.finalStage()).image()).isEqualTo("apache/kafka:" + version);
        assertThat(version).as("share groups need Kafka 4.2 or later").startsWith("4.2");
    }

    @Test
    void runsKraftAsOneNodeAdvertisingItsServiceName() {
        Map<String, String> env = kafka.environment();
        assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(env.get("CLUSTER_ID")).as("a 22-character base64 cluster id").matches("[A-Za-z0-9_-]{22}");
        assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).startsWith("PLAINTEXT://kafka:");
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        assertThat(env.keySet())
                .as("one replica for every internal topic")
                .contains(
                        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR");
        assertThat(kafka.volumes()).extracting(Mount::target).contains(env.get("KAFKA_LOG_DIRS"));
    }

    @Test
    void startsTheJmxExporterAgentTheImageHoldsWithTheMountedRules() {
        Matcher agent = AGENT.matcher(kafka.environment().getOrDefault("KAFKA_OPTS", ""));
        assertThat(agent.find()).as("KAFKA_OPTS starts the JMX exporter agent").isTrue();
        assertThat(agent.group(2)).as("the exporter's port").isEqualTo("9404");
        List<Instruction> adds = dockerfile.all("ADD");
        assertThat(adds)
                .as("the Dockerfile adds the agent jar KAFKA_OPTS names, pinned by its checksum")
                .anySatisfy(add -> {
                    assertThat(add.words().get(add.words().size() - 1)).isEqualTo(agent.group(1));
                    assertThat(add.flags().get("checksum")).startsWith("sha256:");
                    assertThat(add.flags().get("chmod"))
                            .as("readable by the image's user")
                            .isEqualTo("644");
                });
        assertThat(kafka.volumes())
                .as("the exporter's rules are mounted where KAFKA_OPTS reads them")
                .anySatisfy(m -> {
                    assertThat(m.target()).isEqualTo(agent.group(3));
                    assertThat(m.repositoryPath()).isEqualTo("monitoring/kafka/jmx-exporter.yml");
                });
    }

    @Test
    void checksItsHealthWithoutStartingASecondExporter() {
        String check = dockerfile.lastInFinalStage("HEALTHCHECK").orElseThrow().arguments();
        assertThat(check).contains("kafka-broker-api-versions.sh").contains("KAFKA_OPTS= ");
        assertThat(dockerfile.lastInFinalStage("USER").orElseThrow().arguments())
                .isNotIn("root", "0");
    }
}
