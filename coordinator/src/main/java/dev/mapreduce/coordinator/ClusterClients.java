package dev.mapreduce.coordinator;

import dev.mapreduce.runtime.KafkaSetup;
import dev.mapreduce.runtime.ShuffleStore;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Kafka and Redis clients the coordinator uses; the framework's topics are made sure of at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    CoordinatorProperties.class,
    SchedulerSettings.class,
    InputSettings.class,
    InternalAuthSettings.class
})
class ClusterClients {

    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(CoordinatorProperties props) {
        Admin admin =
                KafkaSetup.admin(props.kafka().bootstrapServers(), props.kafka().timeout());
        KafkaSetup.ensureTopicsAndGroups(admin, props.kafka().timeout());
        return admin;
    }

    @Bean(destroyMethod = "close")
    KafkaOutbox outbox(CoordinatorProperties props) {
        return new KafkaOutbox(props.kafka().bootstrapServers(), props.kafka().timeout());
    }

    @Bean(destroyMethod = "close")
    ShuffleStore shuffleStore(CoordinatorProperties props) {
        return new ShuffleStore(props.redis().url(), props.redis().timeout());
    }
}
