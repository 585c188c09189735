package dev.mapreduce.coordinator;

import dev.mapreduce.coordinator.dispatch.KafkaOutbox;
import dev.mapreduce.coordinator.job.InputSettings;
import dev.mapreduce.coordinator.job.RetentionSettings;
import dev.mapreduce.coordinator.job.TenantLimits;
import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.runtime.InternalTopics;
import dev.mapreduce.runtime.KafkaSetup;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.s3.S3Settings;
import dev.mapreduce.runtime.s3.S3Store;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The Kafka and Redis clients the coordinator uses; the framework's topics are made sure of at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
    CoordinatorProperties.class,
    DatabaseTimeouts.class,
    SchedulerSettings.class,
    InputSettings.class,
    InternalAuthSettings.class,
    RetentionSettings.class,
    ServiceRoleSettings.class,
    TenantLimits.class
})
class ClusterClients {

    /** The bootstrap servers plus the operator's client properties (MAPREDUCE_KAFKA_PROPERTIES_*). */
    @Bean
    KafkaClientConfig kafkaClients(CoordinatorProperties props) {
        return KafkaClientConfig.fromEnvironment(props.kafka().bootstrapServers());
    }

    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(CoordinatorProperties props, KafkaClientConfig kafka) {
        Admin admin = KafkaSetup.admin(kafka, props.kafka().timeout());
        try {
            KafkaSetup.ensureTopicsAndGroups(admin, props.kafka().timeout(), InternalTopics.fromEnvironment());
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        return admin;
    }

    @Bean(destroyMethod = "close")
    KafkaOutbox outbox(CoordinatorProperties props, KafkaClientConfig kafka) {
        return new KafkaOutbox(kafka, props.kafka().timeout());
    }

    /** The object store of s3:// inputs (mapreduce.s3.*, MAPREDUCE_S3_*); its client is built on first use. */
    @Bean(destroyMethod = "close")
    S3Store s3Store(Environment environment) {
        return new S3Store(Binder.get(environment).bindOrCreate("mapreduce.s3", S3Settings.class));
    }

    @Bean(destroyMethod = "close")
    ShuffleStore shuffleStore(CoordinatorProperties props) {
        return new RedisShuffleStore(
                props.redis().url(),
                props.redis().clusterNodes(),
                props.redis().auth(),
                props.redis().timeout());
    }
}
