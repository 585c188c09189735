package dev.mapreduce.runtime.worker;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.runtime.InternalTopics;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskHandler;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import java.time.Duration;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What both kinds of worker wire the same way, around the {@link WorkerSettings} and the
 * {@link TaskHandler} each defines: the shuffle store, the Kafka clients, the consumer that feeds
 * the handler (tasks, heartbeats, cancellations) and the health and info it reports.
 */
@Configuration(proxyBeanMethods = false)
public class WorkerBeans {

    /** Bounds every Redis command and Kafka acknowledgement; generous, since runs can be megabytes. */
    public static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

    @Bean(destroyMethod = "close")
    ShuffleStore shuffleStore(WorkerSettings settings) {
        return new RedisShuffleStore(
                settings.redisUrl(), settings.redisClusterNodes(), settings.redisAuth(), IO_TIMEOUT);
    }

    /** The bootstrap servers plus the operator's client properties (MAPREDUCE_KAFKA_PROPERTIES_*). */
    @Bean
    KafkaClientConfig kafkaClients(WorkerSettings settings) {
        return KafkaClientConfig.fromEnvironment(settings.kafkaBootstrapServers());
    }

    @Bean(destroyMethod = "close")
    KafkaMessages taskEvents(WorkerSettings settings, KafkaClientConfig kafka) {
        return new KafkaMessages(kafka, settings.workerId(), IO_TIMEOUT);
    }

    @Bean
    TaskConsumerLifecycle taskConsumer(
            WorkerSettings settings, TaskHandler handler, KafkaMessages taskEvents, KafkaClientConfig kafka) {
        return new TaskConsumerLifecycle(
                settings, kafka, InternalTopics.fromEnvironment(), handler, taskEvents, IO_TIMEOUT);
    }

    @Bean
    WorkerHealthIndicator workerHealthIndicator(
            TaskConsumerLifecycle taskConsumer, ShuffleStore shuffleStore, WorkerSettings settings) {
        return new WorkerHealthIndicator(taskConsumer, shuffleStore, settings.workerId());
    }

    /** {@code testFaults} in {@code /actuator/info} when fault injection is on, so a test can check a worker's faults. */
    @Bean
    InfoContributor testFaultsInfo(WorkerSettings settings) {
        return info -> {
            if (settings.testFaults().enabled()) {
                info.withDetail("testFaults", settings.testFaults().active());
            }
        };
    }
}
