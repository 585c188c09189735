package dev.mapreduce.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * What one of our services reads from its environment: the {@code ${NAME}} and {@code ${NAME:default}}
 * placeholders (upper-case names) of its configuration files, and the variable of its HTTP port.
 *
 * @param variables each variable with its default, empty when it has none (it must be set)
 */
record AppSettings(String module, Map<String, Optional<String>> variables, String portVariable, int port) {

    /** Spring's ${NAME:default} and logback's ${NAME:-default}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::-?([^}]*))?}");

    private static final Pattern PORT = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(\\d+)}");

    static AppSettings of(String module) {
        Path resources = Repository.file(module + "/src/main/resources");
        Map<String, Optional<String>> variables = new TreeMap<>();
        try (Stream<Path> files = Files.list(resources)) {
            for (Path file : files.filter(AppSettings::isConfiguration).sorted().toList()) {
                Matcher m = PLACEHOLDER.matcher(Files.readString(file));
                while (m.find()) {
                    variables.merge(m.group(1), Optional.ofNullable(m.group(2)), (a, b) -> a.isPresent() ? a : b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> yaml = new Yaml().load(Repository.read(module + "/src/main/resources/application.yml"));
        Object server = yaml.get("server");
        Object port = server instanceof Map<?, ?> s ? s.get("port") : null;
        Matcher m = PORT.matcher(String.valueOf(port));
        if (!m.matches()) {
            throw new IllegalStateException(module + ": server.port is not ${VARIABLE:port} but " + port);
        }
        return new AppSettings(module, variables, m.group(1), Integer.parseInt(m.group(2)));
    }

    private static boolean isConfiguration(Path file) {
        String name = file.getFileName().toString();
        return name.matches("application.*\\.(yml|yaml|properties)") || name.matches("logback.*\\.xml");
    }

    /** Variables whose default is a loopback address: inside a container they would reach nothing. */
    Map<String, String> loopbackDefaults() {
        Map<String, String> loopback = new TreeMap<>();
        variables.forEach((name, value) -> value.filter(AppSettings::isLoopback).ifPresent(v -> loopback.put(name, v)));
        return loopback;
    }

    static boolean isLoopback(String value) {
        return value.contains("127.0.0.1") || value.contains("localhost") || value.contains("[::1]");
    }
}
