package dev.mapreduce.runtime;

import dev.mapreduce.protocol.KafkaClientConfig;
import dev.mapreduce.protocol.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the framework's own topics and configures its share groups; idempotent, so every
 * service calls it at start and the order they start in does not matter. A topic already there is
 * checked: what would make the framework fail stops the start with a message naming the topic,
 * other differences from the settings are logged.
 */
public final class KafkaSetup {

    private static final Logger log = LoggerFactory.getLogger(KafkaSetup.class);
    private static final OffsetSpec LATEST = OffsetSpec.latest();

    private KafkaSetup() {}

    public static Admin admin(KafkaClientConfig kafka, Duration timeout) {
        return Admin.create(kafka.build(
                "admin client",
                Map.of(
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        (int) timeout.toMillis(),
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        (int) Math.min(timeout.toMillis(), 30_000)),
                Map.of()));
    }

    public static Admin admin(String bootstrapServers, Duration timeout) {
        return admin(KafkaClientConfig.of(bootstrapServers), timeout);
    }

    /** With the {@linkplain InternalTopics#DEFAULT default} topic settings. */
    public static void ensureTopicsAndGroups(Admin admin, Duration timeout) {
        ensureTopicsAndGroups(admin, timeout, InternalTopics.DEFAULT);
    }

    /**
     * Makes sure the task topics (each shared by every worker of a kind through a share group),
     * the task event topic, the control topic (one partition, read whole by every worker) and the
     * share group settings exist.
     *
     * @throws IllegalStateException if Kafka cannot be reached or configured, or a topic is such
     *     that the framework would fail on it
     */
    public static void ensureTopicsAndGroups(Admin admin, Duration timeout, InternalTopics settings) {
        List<TopicCheck.Wanted> wanted = List.of(
                new TopicCheck.Wanted(Topics.MAP_TASKS, settings.taskPartitions(), false),
                new TopicCheck.Wanted(Topics.REDUCE_TASKS, settings.taskPartitions(), false),
                new TopicCheck.Wanted(Topics.TASK_EVENTS, 1, true),
                new TopicCheck.Wanted(Topics.CONTROL, 1, true));
        ensureTopics(admin, timeout, settings, wanted).forEach(warning -> log.warn("{}", warning));
        Map<ConfigResource, Collection<AlterConfigOp>> groups = Map.of(
                new ConfigResource(ConfigResource.Type.GROUP, Topics.MAP_WORKERS_GROUP), shareGroupConfig(),
                new ConfigResource(ConfigResource.Type.GROUP, Topics.REDUCE_WORKERS_GROUP), shareGroupConfig());
        await(admin.incrementalAlterConfigs(groups).all(), timeout, "cannot configure Kafka");
    }

    /**
     * Creates the missing topics with the settings, then checks all of them.
     *
     * @return the warnings: differences the framework works with
     * @throws IllegalStateException naming every fatal difference
     */
    static List<String> ensureTopics(
            Admin admin, Duration timeout, InternalTopics settings, List<TopicCheck.Wanted> wanted) {
        List<NewTopic> topics = new ArrayList<>();
        for (TopicCheck.Wanted w : wanted) {
            NewTopic topic = new NewTopic(
                    w.topic(),
                    Optional.of(w.partitions()),
                    settings.replicationFactor().isPresent()
                            ? Optional.of((short) settings.replicationFactor().getAsInt())
                            : Optional.empty());
            settings.minInsyncReplicas()
                    .ifPresent(min ->
                            topic.configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(min))));
            topics.add(topic);
        }
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
            } catch (TimeoutException e) {
                throw new IllegalStateException("Kafka did not answer within " + timeout.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted configuring Kafka", e);
            }
        }
        List<String> names = wanted.stream().map(TopicCheck.Wanted::topic).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, TopicDescription> descriptions = untilKnown(
                () -> admin.describeTopics(names).allTopicNames(),
                deadline,
                timeout,
                "cannot describe the framework's topics");
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> configs = untilKnown(
                () -> admin.describeConfigs(resources).all(),
                deadline,
                timeout,
                "cannot read the framework's topic settings");
        List<String> warnings = new ArrayList<>();
        List<String> fatal = new ArrayList<>();
        for (TopicCheck.Wanted w : wanted) {
            TopicDescription d = descriptions.get(w.topic());
            ConfigEntry minIsr = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, w.topic()))
                    .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG);
            var actual = new TopicCheck.Actual(
                    d.partitions().size(),
                    d.partitions().stream()
                            .mapToInt(p -> p.replicas().size())
                            .min()
                            .orElse(0),
                    minIsr == null ? 1 : Integer.parseInt(minIsr.value()));
            for (TopicCheck.Finding f : TopicCheck.check(w, actual, settings)) {
                (f.fatal() ? fatal : warnings).add(f.message());
            }
        }
        if (!fatal.isEmpty()) {
            throw new IllegalStateException(String.join("; ", fatal));
        }
        awaitLeaders(admin, descriptions.values(), timeout);
        return warnings;
    }

    /**
     * Waits until the leader of every partition of the topics serves it. A topic is created before its
     * leaders have taken their partitions over; an idempotent producer whose first batch to a partition is
     * refused in that moment (NOT_LEADER_OR_FOLLOWER) can have its later batches accepted first and then fail
     * the retried one as out of order, losing those records. Asking each leader for its end offset, which the
     * admin client retries until the leader answers, waits that moment out.
     *
     * @throws IllegalStateException if a leader does not answer within the timeout
     */
    public static void awaitLeaders(Admin admin, Collection<TopicDescription> topics, Duration timeout) {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (TopicDescription topic : topics) {
            topic.partitions().forEach(p -> partitions.put(new TopicPartition(topic.name(), p.partition()), LATEST));
        }
        await(admin.listOffsets(partitions).all(), timeout, "the leaders of the topics' partitions do not answer");
    }

    /** {@link #awaitLeaders(Admin, Collection, Duration)} for topics by name. */
    public static void awaitLeaders(Admin admin, List<String> topics, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, TopicDescription> descriptions = untilKnown(
                () -> admin.describeTopics(topics).allTopicNames(), deadline, timeout, "cannot describe topics");
        awaitLeaders(admin, descriptions.values(), timeout);
    }

    /**
     * A topic just created is not known to every broker at once: asks again while the answer is
     * that the topic is unknown, until the deadline.
     */
    private static <T> T untilKnown(Supplier<KafkaFuture<T>> request, long deadline, Duration timeout, String failure) {
        while (true) {
            try {
                return await(request.get(), timeout, failure);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted configuring Kafka", e);
            }
        }
    }

    private static <T> T await(KafkaFuture<T> future, Duration timeout, String failure) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(failure + ": " + e.getCause().getMessage(), e.getCause());
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
