package dev.mapreduce.runtime.testing;

import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One real Kafka broker (KRaft, in-process, from spring-kafka-test) per test JVM, with share
 * groups usable on a single node. Started on first use, stopped when the JVM exits.
 */
public final class TestKafka {

    private static EmbeddedKafkaKraftBroker broker;

    private TestKafka() {}

    /** The broker's bootstrap servers, starting it if needed. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker b = new EmbeddedKafkaKraftBroker(1, 1);
            b.brokerProperties(Map.of(
                    "share.coordinator.state.topic.replication.factor", "1",
                    "share.coordinator.state.topic.min.isr", "1",
                    "offsets.topic.replication.factor", "1",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "group.initial.rebalance.delay.ms", "0",
                    "group.share.min.heartbeat.interval.ms", "1000",
                    "group.share.heartbeat.interval.ms", "1000",
                    "group.share.min.record.lock.duration.ms", "1000",
                    "auto.create.topics.enable", "false"));
            b.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(b::destroy, "test-kafka-stop"));
            broker = b;
        }
        return broker.getBrokersAsString();
    }
}
