package dev.mapreduce.cli;

import dev.mapreduce.protocol.KafkaClientConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Kafka client properties of the commands that talk to Kafka themselves, as kcat takes them: the
 * services' {@code MAPREDUCE_KAFKA_PROPERTIES_*} variables and file, then {@code --kafka-properties},
 * then each {@code -X}.
 */
final class KafkaClientOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "-X",
            paramLabel = "PROPERTY=VALUE",
            description = "A Kafka client property, e.g. -X security.protocol=SASL_SSL (repeatable; wins over"
                    + " --kafka-properties and $" + KafkaClientConfig.VARIABLE_PREFIX + "*).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(
            names = "--kafka-properties",
            paramLabel = "FILE",
            description = "A Java properties file of Kafka client properties (security settings, client.id), read"
                    + " over $" + KafkaClientConfig.FILE_VARIABLE + " and the $"
                    + KafkaClientConfig.VARIABLE_PREFIX + "* variables.")
    Path file;

    /** The settings of every client the command creates. */
    KafkaClientConfig config(String servers) {
        try {
            KafkaClientConfig config = KafkaClientConfig.fromEnvironment(servers);
            if (file != null) {
                config = config.with(KafkaClientConfig.readFile(file, "--kafka-properties " + file));
            }
            return config.with(properties);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    /** The same options again, for a command that runs another. */
    List<String> args() {
        List<String> args = new ArrayList<>();
        if (file != null) {
            args.addAll(List.of("--kafka-properties", file.toString()));
        }
        properties.forEach((name, value) -> args.addAll(List.of("-X", name + "=" + value)));
        return args;
    }

    /** Creates a client; settings it refuses (bad address, unknown property value) are a usage error. */
    <C> C create(KafkaClientConfig config, Supplier<C> create) {
        try {
            return create.get();
        } catch (KafkaException e) {
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            if (config.properties().isEmpty()) {
                throw new ParameterException(
                        command.commandLine(),
                        "invalid bootstrap servers '" + config.bootstrapServers() + "': " + reason);
            }
            throw new ParameterException(
                    command.commandLine(),
                    "invalid Kafka client settings (bootstrap servers '" + config.bootstrapServers() + "', properties "
                            + config.properties().keySet() + "): " + reason);
        }
    }
}
