package dev.mapreduce.runtime;

import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the framework's own topics and configures its share groups; idempotent, so every
 * service calls it at start and the order they start in does not matter.
 */
public final class KafkaSetup {

    private KafkaSetup() {}

    public static Admin admin(String bootstrapServers, Duration timeout) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000)));
    }

    /**
     * Makes sure the task topics (one partition each: every worker of a kind shares it), the task
     * event topic, the control topic (one partition, read whole by every worker) and the share
     * group settings exist.
     */
    public static void ensureTopicsAndGroups(Admin admin, Duration timeout) {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : List.of(Topics.MAP_TASKS, Topics.REDUCE_TASKS, Topics.TASK_EVENTS, Topics.CONTROL)) {
            topics.add(new NewTopic(name, 1, (short) 1));
        }
        try {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + entry.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> groups = Map.of(
                    new ConfigResource(ConfigResource.Type.GROUP, Topics.MAP_WORKERS_GROUP), shareGroupConfig(),
                    new ConfigResource(ConfigResource.Type.GROUP, Topics.REDUCE_WORKERS_GROUP), shareGroupConfig());
            admin.incrementalAlterConfigs(groups).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot configure Kafka: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted configuring Kafka", e);
        }
    }

    /** Tasks produced before a worker joined must still be delivered. */
    private static List<AlterConfigOp> shareGroupConfig() {
        return List.of(
                new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET));
    }
}
