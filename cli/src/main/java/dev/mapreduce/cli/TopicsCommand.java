package dev.mapreduce.cli;

import dev.mapreduce.protocol.KafkaClientConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mr topics}: input topics are created on purpose (the brokers do not create a topic a
 * producer names by mistake), so a log shipper such as kcat, Vector or Fluent Bit needs its topic
 * made first.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Creates and lists input topics.",
            "",
            "The brokers of the local stack and of the compose stack do not create topics when a producer first"
                    + " writes to one (a typo would become a topic); make a topic with 'mr topics create' before"
                    + " sending logs to it with kcat, Vector or Fluent Bit. 'mr ingest' creates its topic itself.",
        },
        subcommands = {TopicsCommand.Create.class, TopicsCommand.ListTopics.class})
final class TopicsCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code mr topics create}: as {@code mr ingest --create-only}, which it runs. */
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Creates a topic if it is missing (records up to 65 MiB, as 'mr ingest' makes them); a topic"
                    + " that exists is left as it is.")
    static final class Create implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "TOPIC", description = "The topic's name.")
        String topic;

        @Option(
                names = {"-p", "--partitions"},
                defaultValue = "1",
                paramLabel = "N",
                description = "Partitions (default ${DEFAULT-VALUE}); a job reads partitions in parallel.")
        int partitions;

        @Option(
                names = "--replication-factor",
                paramLabel = "N",
                description = "Replication factor (default: the broker's default.replication.factor).")
        Short replicationFactor;

        @Option(
                names = {"-b", "--bootstrap-servers"},
                paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092).")
        String bootstrapServers;

        @Mixin
        KafkaClientOptions kafkaOptions;

        @Option(
                names = "--timeout",
                defaultValue = "15",
                paramLabel = "SECONDS",
                description = "How long to wait for the broker (default ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Override
        public Integer call() {
            List<String> args = new ArrayList<>(List.of(
                    "--create-only",
                    "--topic",
                    topic,
                    "--partitions",
                    Integer.toString(partitions),
                    "--timeout",
                    Integer.toString(timeoutSeconds)));
            if (bootstrapServers != null) {
                args.addAll(List.of("--bootstrap-servers", bootstrapServers));
            }
            if (replicationFactor != null) {
                args.addAll(List.of("--replication-factor", replicationFactor.toString()));
            }
            args.addAll(kafkaOptions.args());
            CommandLine ingest = new CommandLine(new IngestCommand());
            CommandLine self = spec.commandLine();
            ingest.setOut(self.getOut());
            ingest.setErr(self.getErr());
            ingest.setParameterExceptionHandler(self.getParameterExceptionHandler());
            ingest.setExecutionExceptionHandler(self.getExecutionExceptionHandler());
            return ingest.execute(args.toArray(String[]::new));
        }
    }

    /** {@code mr topics list}: the topics that are not Kafka's own, with their partition counts. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the topics and their partitions.")
    static final class ListTopics implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(
                names = {"-b", "--bootstrap-servers"},
                paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092).")
        String bootstrapServers;

        @Mixin
        KafkaClientOptions kafkaOptions;

        @Option(
                names = "--timeout",
                defaultValue = "15",
                paramLabel = "SECONDS",
                description = "How long to wait for the broker (default ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--json", description = "Print a JSON array of {topic, partitions}.")
        boolean json;

        @Override
        public Integer call() throws InterruptedException {
            String servers = bootstrapServers != null ? bootstrapServers : defaultServers();
            KafkaClientConfig kafka = kafkaOptions.config(servers);
            long timeoutMs = TimeUnit.SECONDS.toMillis(timeoutSeconds);
            Map<String, Object> config = kafka.build(
                    "admin client",
                    Map.of(
                            CommonClientConfigs.CLIENT_ID_CONFIG,
                            "mr-topics",
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                            Long.toString(timeoutMs),
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            Long.toString(timeoutMs)),
                    Map.of());
            Map<String, Integer> topics = new TreeMap<>();
            try (Admin admin = kafkaOptions.create(kafka, () -> Admin.create(config))) {
                var names = admin.listTopics(new ListTopicsOptions().listInternal(false))
                        .names()
                        .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
                for (TopicDescription d : admin.describeTopics(names)
                        .allTopicNames()
                        .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS)
                        .values()) {
                    topics.put(d.name(), d.partitions().size());
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "cannot list the topics of Kafka at " + servers + ": "
                                + e.getCause().getMessage(),
                        e);
            } catch (KafkaException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException(
                        "cannot list the topics of Kafka at " + servers + " within " + timeoutSeconds + " s", e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ArrayNode array = GatewayClient.json().createArrayNode();
                topics.forEach((name, partitions) -> {
                    ObjectNode o = array.addObject();
                    o.put("topic", name);
                    o.put("partitions", partitions);
                });
                out.println(array);
            } else {
                Table table = new Table("TOPIC", "PARTITIONS>");
                topics.forEach((name, partitions) -> table.row(name, Integer.toString(partitions)));
                if (table.isEmpty()) {
                    out.println("no topics");
                } else {
                    table.print(out);
                }
            }
            out.flush();
            return 0;
        }

        private static String defaultServers() {
            String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            return env == null || env.isBlank() ? "127.0.0.1:9092" : env;
        }
    }
}
