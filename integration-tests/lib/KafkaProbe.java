import java.io.FileReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * What integration-tests/multi-host.sh asks a Kafka cluster, with the admin client of the brokers'
 * own classpath (run as a single-file program: java -cp CLASSPATH KafkaProbe.java ...):
 *
 * <pre>
 *   brokers BOOTSTRAP PROPERTIES                 the live brokers' ids, one line: "1 2 3"
 *   leader BOOTSTRAP PROPERTIES TOPIC PARTITION  the id of the partition's leader
 *   describe BOOTSTRAP PROPERTIES TOPIC...       per partition: leader, replicas, in-sync replicas,
 *                                                and the topic's effective min.insync.replicas
 * </pre>
 *
 * PROPERTIES is a client properties file (security settings). Exit status 1 on any Kafka error,
 * 2 on bad usage.
 */
public final class KafkaProbe {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: KafkaProbe brokers|leader|describe BOOTSTRAP PROPERTIES [TOPIC [PARTITION]]...");
            System.exit(2);
        }
        Properties properties = new Properties();
        try (Reader reader = new FileReader(args[2], StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        List<String> rest = List.of(args).subList(3, args.length);
        try (Admin admin = Admin.create(properties)) {
            switch (args[0]) {
                case "brokers" -> System.out.println(brokers(admin));
                case "leader" -> System.out.println(leader(admin, rest.get(0), Integer.parseInt(rest.get(1))));
                case "describe" -> describe(admin, rest).forEach(System.out::println);
                default -> {
                    System.err.println("unknown command " + args[0]);
                    System.exit(2);
                }
            }
        } catch (ExecutionException e) {
            System.err.println("KafkaProbe: " + e.getCause());
            System.exit(1);
        }
    }

    private static String brokers(Admin admin) throws Exception {
        Collection<Node> nodes = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
        return nodes.stream().map(Node::id).sorted().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private static int leader(Admin admin, String topic, int partition) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        Node leader = description.partitions().get(partition).leader();
        if (leader == null) {
            throw new IllegalStateException(topic + "-" + partition + " has no leader");
        }
        return leader.id();
    }

    private static List<String> describe(Admin admin, List<String> topics) throws Exception {
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
        List<ConfigResource> resources = topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                .toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
        List<String> lines = new ArrayList<>();
        for (String topic : topics) {
            String minInsync = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic))
                    .get("min.insync.replicas")
                    .value();
            for (TopicPartitionInfo p : descriptions.get(topic).partitions()) {
                lines.add(String.format(
                        "%s-%d leader %s replicas %s isr %s min.insync.replicas %s",
                        topic,
                        p.partition(),
                        p.leader() == null ? "none" : p.leader().id(),
                        ids(p.replicas()),
                        ids(p.isr()),
                        minInsync));
            }
        }
        return lines;
    }

    private static String ids(List<Node> nodes) {
        return nodes.stream().map(n -> String.valueOf(n.id())).collect(Collectors.joining(",", "[", "]"));
    }

    private KafkaProbe() {}
}
