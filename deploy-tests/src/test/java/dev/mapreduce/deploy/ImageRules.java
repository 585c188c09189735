package dev.mapreduce.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a service's image must be: run as a user other than root, start the service's main class on
 * the JRE, expose the service's port, carry the OCI labels, be named as docker-compose.yml and the
 * Kubernetes manifests name it, and carry the health probe its health check runs.
 */
final class ImageRules {

    static final Set<String> LABELS = Set.of(
            "org.opencontainers.image.title",
            "org.opencontainers.image.source",
            "org.opencontainers.image.version",
            "org.opencontainers.image.licenses");

    private static final String CLASSPATH_FILE = "/app/jib-classpath-file";

    private ImageRules() {}

    /** What the image should be, from the repository: its name, version, port and main class. */
    record Expected(String name, String version, int port, String mainClass) {}

    /** Every way {@code image} falls short of {@code expected}; empty when it is right. */
    static List<String> problems(ImageTar image, Expected expected) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> config = image.config();

        String user = String.valueOf(config.getOrDefault("User", ""));
        String uid = user.split(":")[0];
        if (uid.isBlank() || uid.equals("root") || uid.equals("0")) {
            problems.add("runs as root (User '" + user + "')");
        }

        List<?> entrypoint = (List<?>) config.getOrDefault("Entrypoint", List.of());
        if (entrypoint.isEmpty() || !"java".equals(entrypoint.get(0))) {
            problems.add("entrypoint does not start java: " + entrypoint);
        } else if (!String.valueOf(entrypoint.get(entrypoint.size() - 1)).equals(expected.mainClass())) {
            problems.add("entrypoint does not run " + expected.mainClass() + ": " + entrypoint);
        } else if (!entrypoint.contains("@" + CLASSPATH_FILE)) {
            problems.add("entrypoint does not take its classpath from " + CLASSPATH_FILE + ": " + entrypoint);
        }

        Map<?, ?> ports = (Map<?, ?>) config.getOrDefault("ExposedPorts", Map.of());
        if (!ports.keySet().equals(Set.of(expected.port() + "/tcp"))) {
            problems.add("exposes " + ports.keySet() + ", not " + expected.port() + "/tcp");
        }

        Map<?, ?> labels = config.get("Labels") instanceof Map<?, ?> l ? l : Map.of();
        for (String label : LABELS) {
            Object value = labels.get(label);
            if (value == null || String.valueOf(value).isBlank()) {
                problems.add("has no label " + label);
            }
        }
        if (labels.containsKey("org.opencontainers.image.version")
                && !expected.version().equals(labels.get("org.opencontainers.image.version"))) {
            problems.add("is labelled version " + labels.get("org.opencontainers.image.version") + ", not "
                    + expected.version());
        }

        if (!image.repoTags().equals(List.of(expected.name()))) {
            problems.add("is tagged " + image.repoTags() + ", not " + expected.name());
        }

        if (!image.files().containsKey(CLASSPATH_FILE)) {
            problems.add("has no " + CLASSPATH_FILE);
        } else {
            boolean probe = List.of(image.fileText(CLASSPATH_FILE).trim().split(":")).stream()
                    .anyMatch(jar -> image.jarHolds(jar, HealthProbeClass.entry()));
            if (!probe) {
                problems.add("has no jar on its classpath that holds " + HealthProbeClass.NAME);
            }
        }
        return problems;
    }
}
