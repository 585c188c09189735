package dev.mapreduce.reduceworker;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.InternalTopics;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The worker's connections (Redis, Kafka, PostgreSQL), its task handler and the Kafka side that feeds it (tasks, heartbeats, cancellations). */
@Configuration(proxyBeanMethods = false)
class ReduceWorkerConfiguration {

    /** Bounds every Redis command and Kafka acknowledgement; generous, since a partition's runs can be megabytes. */
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(10);

    /** Static: a post-processor must not pull the configuration's other beans in early. */
    @Bean
    static PoolSizedByTaskSlots poolSizedByTaskSlots(Environment environment) {
        return new PoolSizedByTaskSlots(environment);
    }

    @Bean(destroyMethod = "close")
    ShuffleStore shuffleStore(ReduceWorkerProperties properties) {
        return new ShuffleStore(properties.redisUrl(), properties.redisClusterNodes(), IO_TIMEOUT);
    }

    /** The bootstrap servers plus the operator's client properties (MAPREDUCE_KAFKA_PROPERTIES_*). */
    @Bean
    KafkaClientConfig kafkaClients(ReduceWorkerProperties properties) {
        return KafkaClientConfig.fromEnvironment(properties.kafkaBootstrapServers());
    }

    @Bean(destroyMethod = "close")
    KafkaMessages taskEvents(ReduceWorkerProperties properties, KafkaClientConfig kafka) {
        return new KafkaMessages(kafka, properties.workerId(), IO_TIMEOUT);
    }

    @Bean
    ReduceTaskHandler reduceTaskHandler(
            ReduceWorkerProperties properties,
            ShuffleStore shuffleStore,
            DataSource dataSource,
            KafkaMessages taskEvents,
            MeterRegistry meters) {
        properties.testFaults().announce(properties.workerId());
        return new ReduceTaskHandler(
                properties.workerId(),
                shuffleStore,
                (int) properties.fetchBuffer().toBytes(),
                new ResultCommitter(dataSource),
                taskEvents,
                new TaskMetrics(meters, TaskType.REDUCE),
                properties.testFaults());
    }

    @Bean
    TaskConsumerLifecycle taskConsumer(
            ReduceWorkerProperties properties,
            ReduceTaskHandler reduceTaskHandler,
            KafkaMessages taskEvents,
            KafkaClientConfig kafka) {
        return new TaskConsumerLifecycle(
                properties, kafka, InternalTopics.fromEnvironment(), reduceTaskHandler, taskEvents, IO_TIMEOUT);
    }

    @Bean
    WorkerHealthIndicator workerHealthIndicator(
            TaskConsumerLifecycle taskConsumer, ShuffleStore shuffleStore, ReduceWorkerProperties properties) {
        return new WorkerHealthIndicator(taskConsumer, shuffleStore, properties.workerId());
    }

    /** {@code testFaults} in {@code /actuator/info} when fault injection is on, so a test can check a worker's faults. */
    @Bean
    InfoContributor testFaultsInfo(ReduceWorkerProperties properties) {
        return info -> {
            if (properties.testFaults().enabled()) {
                info.withDetail("testFaults", properties.testFaults().active());
            }
        };
    }
}
