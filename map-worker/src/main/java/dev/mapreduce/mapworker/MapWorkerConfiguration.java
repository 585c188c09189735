package dev.mapreduce.mapworker;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.KafkaRangeReaders;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMetrics;
import dev.mapreduce.runtime.s3.S3Settings;
import dev.mapreduce.runtime.s3.S3Store;
import dev.mapreduce.runtime.worker.WorkerBeans;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** The map task handler and its input readers; the rest of the worker is {@link WorkerBeans}. */
@Configuration(proxyBeanMethods = false)
@Import(WorkerBeans.class)
class MapWorkerConfiguration {

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
}
