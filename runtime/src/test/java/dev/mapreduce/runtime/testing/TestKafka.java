package dev.mapreduce.runtime.testing;

import dev.mapreduce.runtime.KafkaSetup;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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

    /** A topic with one replica and the given partitions, created once its partitions' leader serves them. */
    public static void createTopic(String name, int partitions) {
        createTopics(new NewTopic(name, partitions, (short) 1));
    }

    /**
     * Creates the topics and waits until their partitions' leader serves them: a producer writing to a topic a
     * moment after it was created can otherwise lose records (see {@link KafkaSetup#awaitLeaders}).
     */
    public static void createTopics(NewTopic... topics) {
        Duration timeout = Duration.ofSeconds(30);
        try (Admin admin = KafkaSetup.admin(bootstrapServers(), timeout)) {
            admin.createTopics(List.of(topics)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            KafkaSetup.awaitLeaders(
                    admin, Arrays.stream(topics).map(NewTopic::name).toList(), timeout);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + List.of(topics), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
