package dev.mapreduce.protocol;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where every Kafka client of the framework (producers, consumers, share consumers, admin clients)
 * gets its settings: the bootstrap servers plus whatever client properties the operator gave
 * (security, client id, timeouts), on top of the framework's defaults.
 *
 * <p>Operator properties come, in increasing precedence, from the properties file named by {@value
 * #FILE_VARIABLE} and from environment variables {@value #VARIABLE_PREFIX}{@code <NAME>}; the CLI
 * adds its own on top with {@link #with(Map)}. {@code <NAME>} maps to a property name by
 * lower-casing it and replacing {@code _} with {@code .}, {@code __} with {@code _} and {@code ___}
 * with {@code -} (the convention of Confluent's images): {@code SASL_JAAS_CONFIG} is {@code
 * sasl.jaas.config}. Any other character needs the file. No Kafka classes: the CLI, the services and
 * the runtime all build their clients' settings here.
 *
 * <p>A property replaces the framework's default for it, except those the framework relies on
 * for correctness (e.g. {@code acks=all}, manual commits, explicit share acknowledgement): those
 * are kept and a warning names the ignored setting. The values are never logged.
 */
public final class KafkaClientConfig {

    public static final String VARIABLE_PREFIX = "MAPREDUCE_KAFKA_PROPERTIES_";
    public static final String FILE_VARIABLE = VARIABLE_PREFIX + "FILE";

    /** JDK platform logging: the services route it to their logs, and common has no logging library. */
    private static final System.Logger log = System.getLogger(KafkaClientConfig.class.getName());

    private final String bootstrapServers;
    private final Map<String, String> properties;

    private KafkaClientConfig(String bootstrapServers, Map<String, String> properties) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("no Kafka bootstrap servers given");
        }
        if (properties.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException(
                    "bootstrap.servers cannot be a client property: set KAFKA_BOOTSTRAP_SERVERS (CLI: -b) instead");
        }
        this.bootstrapServers = bootstrapServers;
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
    }

    /** The bootstrap servers alone, with no operator properties. */
    public static KafkaClientConfig of(String bootstrapServers) {
        return new KafkaClientConfig(bootstrapServers, Map.of());
    }

    /** The process's own environment: {@code fromEnvironment(servers, System.getenv())}. */
    public static KafkaClientConfig fromEnvironment(String bootstrapServers) {
        return fromEnvironment(bootstrapServers, System.getenv());
    }

    /**
     * The properties of the file named by {@value #FILE_VARIABLE}, if set, then those of the
     * {@value #VARIABLE_PREFIX}{@code <NAME>} variables over them.
     *
     * @throws IllegalArgumentException naming the variable or file that cannot be used
     */
    public static KafkaClientConfig fromEnvironment(String bootstrapServers, Map<String, String> environment) {
        Map<String, String> properties = new HashMap<>();
        String file = environment.get(FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            properties.putAll(readFile(Path.of(file), FILE_VARIABLE + "=" + file));
        }
        new TreeMap<>(environment).forEach((variable, value) -> {
            if (variable.startsWith(VARIABLE_PREFIX) && !variable.equals(FILE_VARIABLE)) {
                properties.put(propertyName(variable), value);
            }
        });
        return new KafkaClientConfig(bootstrapServers, properties);
    }

    /** These properties over the current ones (the CLI's {@code --kafka-properties} and {@code -X}). */
    public KafkaClientConfig with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(properties);
        merged.putAll(more);
        return new KafkaClientConfig(bootstrapServers, merged);
    }

    /**
     * The property a {@value #VARIABLE_PREFIX}{@code <NAME>} variable sets: {@code <NAME>} lower-cased,
     * {@code _} → {@code .}, {@code __} → {@code _}, {@code ___} → {@code -}.
     *
     * @throws IllegalArgumentException for an empty name, four or more underscores in a row, or a
     *     leading or trailing separator
     */
    public static String propertyName(String variable) {
        if (!variable.startsWith(VARIABLE_PREFIX)) {
            throw new IllegalArgumentException(variable + " does not start with " + VARIABLE_PREFIX);
        }
        String name = variable.substring(VARIABLE_PREFIX.length());
        StringBuilder property = new StringBuilder(name.length());
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c != '_') {
                property.append(Character.toLowerCase(c));
                i++;
                continue;
            }
            int run = 0;
            while (i < name.length() && name.charAt(i) == '_') {
                run++;
                i++;
            }
            if (run > 3) {
                throw new IllegalArgumentException(variable + ": " + run + " underscores in a row mean nothing; use "
                        + FILE_VARIABLE + " for this property");
            }
            property.append(run == 1 ? '.' : run == 2 ? '_' : '-');
        }
        if (property.isEmpty() || property.charAt(0) == '.' || property.charAt(property.length() - 1) == '.') {
            throw new IllegalArgumentException(variable + " does not name a Kafka client property");
        }
        return property.toString();
    }

    /**
     * A Java properties file (UTF-8), as Kafka's own tools read with {@code --command-config}.
     *
     * @param source what to name in an error, e.g. the variable or option that gave the path
     */
    public static Map<String, String> readFile(Path file, String source) {
        Properties loaded = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": cannot read Kafka client properties: " + describe(e), e);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        loaded.stringPropertyNames()
                .forEach(name ->
                        properties.put(name.trim(), loaded.getProperty(name).trim()));
        return properties;
    }

    private static String describe(Exception e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The operator's properties (values may be secrets: do not log them). */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * The configuration of one client: {@code defaults}, the operator's properties over them, then
     * {@code required} and the bootstrap servers over everything.
     *
     * @param client names the client in the warning about an ignored property
     */
    public Map<String, Object> build(String client, Map<String, ?> defaults, Map<String, ?> required) {
        Map<String, Object> config = new HashMap<>(defaults);
        config.putAll(properties);
        required.forEach((name, value) -> {
            String given = properties.get(name);
            if (given != null && !given.equals(String.valueOf(value))) {
                log.log(
                        System.Logger.Level.WARNING,
                        "Kafka client property {0} is ignored for the {1}: the framework needs {2}",
                        name,
                        client,
                        value);
            }
            config.put(name, value);
        });
        config.put("bootstrap.servers", bootstrapServers);
        return config;
    }

    /** Names the properties, never their values. */
    @Override
    public String toString() {
        return "KafkaClientConfig[bootstrapServers=" + bootstrapServers + ", properties=" + properties.keySet() + "]";
    }
}
