package dev.mapreduce.reduceworker;

import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.OutageWait;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMetrics;
import dev.mapreduce.runtime.worker.WorkerBeans;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** The reduce task handler and its connection pool; the rest of the worker is {@link WorkerBeans}. */
@Configuration(proxyBeanMethods = false)
@Import(WorkerBeans.class)
class ReduceWorkerConfiguration {

    /** Static: a post-processor must not pull the configuration's other beans in early. */
    @Bean
    static PoolSizedByTaskSlots poolSizedByTaskSlots(Environment environment) {
        return new PoolSizedByTaskSlots(environment);
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
                new OutageWait(properties.outageWait()),
                properties.testFaults());
    }
}
