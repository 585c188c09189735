package dev.mapreduce.mapworker;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.InternalTopics;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.KafkaRangeReaders;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMetrics;
import dev.mapreduce.runtime.s3.S3Settings;
import dev.mapreduce.runtime.s3.S3Store;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The worker's connections (Redis, Kafka), its task handler and the Kafka side that feeds it (tasks, heartbeats, cancellations). */
@Configuration(proxyBeanMethods = false)
class MapWorkerConfiguration {

    /** Bounds every Redis command and Kafka acknowledgement; generous, since runs can be megabytes. */
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

    @Bean(destroyMethod = "close")
    ShuffleStore shuffleStore(MapWorkerProperties properties) {
        return new ShuffleStore(properties.redisUrl(), properties.redisClusterNodes(), IO_TIMEOUT);
    }

    /** The bootstrap servers plus the operator's client properties (MAPREDUCE_KAFKA_PROPERTIES_*). */
    @Bean
    KafkaClientConfig kafkaClients(MapWorkerProperties properties) {
        return KafkaClientConfig.fromEnvironment(properties.kafkaBootstrapServers());
    }

    @Bean(destroyMethod = "close")
    KafkaMessages taskEvents(MapWorkerProperties properties, KafkaClientConfig kafka) {
        return new KafkaMessages(kafka, properties.workerId(), IO_TIMEOUT);
    }

    @Bean(destroyMethod = "close")
    KafkaRangeReaders inputReaders(MapWorkerProperties properties, KafkaClientConfig kafka) {
        return new KafkaRangeReaders(kafka, properties.workerId() + "-input", properties.kafkaFetchLimits());
    }

    /** The object store of s3:// inputs (mapreduce.s3.*, MAPREDUCE_S3_*); its client is built on first use. */
    @Bean(destroyMethod = "close")
    S3Store s3Store(Environment environment) {
        return new S3Store(Binder.get(environment).bindOrCreate("mapreduce.s3", S3Settings.class));
    }

    @Bean
    MapTaskHandler mapTaskHandler(
            MapWorkerProperties properties,
            ShuffleStore shuffleStore,
            KafkaRangeReaders inputReaders,
            KafkaMessages taskEvents,
            S3Store s3Store,
            MeterRegistry meters)
            throws IOException {
        properties.testFaults().announce(properties.workerId());
        SpillFolder.prepare(properties.spillFolder());
        return new MapTaskHandler(
                properties, shuffleStore, inputReaders, taskEvents, new TaskMetrics(meters, TaskType.MAP), s3Store);
    }

    @Bean
    TaskConsumerLifecycle taskConsumer(
            MapWorkerProperties properties,
            MapTaskHandler mapTaskHandler,
            KafkaMessages taskEvents,
            KafkaClientConfig kafka) {
        return new TaskConsumerLifecycle(
                properties, kafka, InternalTopics.fromEnvironment(), mapTaskHandler, taskEvents, IO_TIMEOUT);
    }

    @Bean
    WorkerHealthIndicator workerHealthIndicator(
            TaskConsumerLifecycle taskConsumer, ShuffleStore shuffleStore, MapWorkerProperties properties) {
        return new WorkerHealthIndicator(taskConsumer, shuffleStore, properties.workerId());
    }

    /** {@code testFaults} in {@code /actuator/info} when fault injection is on, so a test can check a worker's faults. */
    @Bean
    InfoContributor testFaultsInfo(MapWorkerProperties properties) {
        return info -> {
            if (properties.testFaults().enabled()) {
                info.withDetail("testFaults", properties.testFaults().active());
            }
        };
    }
}
