package dev.mapreduce.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.protocol.KafkaClientConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaMessagesTest {

    @Test
    void theProducersOfTheFrameworkKeepAcksAllAndIdempotenceWhateverTheOperatorSets() {
        Map<String, Object> producer = KafkaMessages.producerConfig(
                KafkaClientConfig.of("b:1").with(Map.of("acks", "0", "enable.idempotence", "false", "linger.ms", "5")),
                "w1",
                Duration.ofSeconds(10));

        assertThat(producer)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("linger.ms", "5")
                .containsEntry("client.id", "w1")
                .containsEntry("bootstrap.servers", "b:1");
    }
}
