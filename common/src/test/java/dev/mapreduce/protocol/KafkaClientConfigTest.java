package dev.mapreduce.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientConfigTest {

    @TempDir
    Path dir;

    @Test
    void oneUnderscoreIsADotTwoAreAnUnderscoreThreeAreADash() {
        assertThat(KafkaClientConfig.propertyName("MAPREDUCE_KAFKA_PROPERTIES_SECURITY_PROTOCOL"))
                .isEqualTo("security.protocol");
        assertThat(KafkaClientConfig.propertyName("MAPREDUCE_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
                .isEqualTo("sasl.jaas.config");
        assertThat(KafkaClientConfig.propertyName("MAPREDUCE_KAFKA_PROPERTIES_MY__PLUGIN_SETTING"))
                .isEqualTo("my_plugin.setting");
        assertThat(KafkaClientConfig.propertyName("MAPREDUCE_KAFKA_PROPERTIES_X___Y_Z"))
                .isEqualTo("x-y.z");
        assertThat(KafkaClientConfig.propertyName("MAPREDUCE_KAFKA_PROPERTIES_client_id"))
                .isEqualTo("client.id");
    }

    @Test
    void namesThatMapToNoPropertyAreRefusedNamingTheVariable() {
        for (String bad : new String[] {
            "MAPREDUCE_KAFKA_PROPERTIES_",
            "MAPREDUCE_KAFKA_PROPERTIES__X",
            "MAPREDUCE_KAFKA_PROPERTIES_X_",
            "MAPREDUCE_KAFKA_PROPERTIES_A____B"
        }) {
            assertThatThrownBy(() -> KafkaClientConfig.propertyName(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(bad);
        }
    }

    @Test
    void variablesOverrideTheFileAndOtherVariablesAreIgnored() throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                """
                # comments are fine
                security.protocol = SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                client.id=from-file
                """);
        KafkaClientConfig config = KafkaClientConfig.fromEnvironment(
                "broker:9092",
                Map.of(
                        "MAPREDUCE_KAFKA_PROPERTIES_FILE", file.toString(),
                        "MAPREDUCE_KAFKA_PROPERTIES_CLIENT_ID", "from-env",
                        "KAFKA_BOOTSTRAP_SERVERS", "elsewhere:9092",
                        "PATH", "/usr/bin"));

        assertThat(config.properties())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "client.id", "from-env"));
        assertThat(config.with(Map.of("client.id", "from-cli")).properties()).containsEntry("client.id", "from-cli");
    }

    @Test
    void aMissingFileIsAnErrorNamingTheVariable() {
        assertThatThrownBy(() -> KafkaClientConfig.fromEnvironment(
                        "broker:9092", Map.of("MAPREDUCE_KAFKA_PROPERTIES_FILE", dir + "/nope.properties")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MAPREDUCE_KAFKA_PROPERTIES_FILE=" + dir + "/nope.properties")
                .hasMessageContaining("no such file");
    }

    @Test
    void bootstrapServersComeOnlyFromTheirOwnSetting() {
        assertThatThrownBy(() -> KafkaClientConfig.fromEnvironment(
                        "broker:9092", Map.of("MAPREDUCE_KAFKA_PROPERTIES_BOOTSTRAP_SERVERS", "x:1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void operatorPropertiesReplaceDefaultsButNotWhatTheFrameworkNeeds() {
        KafkaClientConfig config = KafkaClientConfig.of("broker:9092")
                .with(Map.of("client.id", "mine", "acks", "1", "security.protocol", "SSL"));

        Map<String, Object> built =
                config.build("producer", Map.of("client.id", "default", "linger.ms", 0), Map.of("acks", "all"));

        assertThat(built)
                .containsEntry("client.id", "mine")
                .containsEntry("linger.ms", 0)
                .containsEntry("acks", "all")
                .containsEntry("security.protocol", "SSL")
                .containsEntry("bootstrap.servers", "broker:9092");
    }

    @Test
    void valuesNeverAppearInToString() {
        KafkaClientConfig config = KafkaClientConfig.of("b:1").with(Map.of("sasl.jaas.config", "password=\"s3cret\""));

        assertThat(config.toString()).contains("sasl.jaas.config").doesNotContain("s3cret");
    }
}
