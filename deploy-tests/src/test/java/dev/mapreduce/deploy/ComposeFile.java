package dev.mapreduce.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml, read as plain YAML; values come out with compose's defaults interpolated. */
final class ComposeFile {

    static final String NAME = "docker-compose.yml";

    private final Map<String, Object> root;

    private ComposeFile(Map<String, Object> root) {
        this.root = root;
    }

    static ComposeFile load() {
        return new ComposeFile(new Yaml().load(Repository.read(NAME)));
    }

    Map<String, Service> services() {
        Map<String, Service> services = new LinkedHashMap<>();
        map(root.get("services")).forEach((name, spec) -> services.put(name, new Service(name, map(spec))));
        return services;
    }

    Service service(String name) {
        Service service = services().get(name);
        if (service == null) {
            throw new AssertionError(NAME + " has no service '" + name + "'");
        }
        return service;
    }

    /** The top-level networks, by name, with their settings (empty for defaults). */
    Map<String, Map<String, Object>> networks() {
        Map<String, Map<String, Object>> networks = new LinkedHashMap<>();
        map(root.get("networks")).forEach((name, spec) -> networks.put(name, map(spec)));
        return networks;
    }

    Set<String> namedVolumes() {
        return new TreeSet<>(map(root.get("volumes")).keySet());
    }

    /** A build section: the context and the Dockerfile, both relative to the repository root. */
    record Build(String context, String dockerfile) {}

    /** A volume or bind mount; {@code source} is a path for a bind mount, a name for a volume. */
    record Mount(String source, String target, boolean readOnly) {

        boolean isBind() {
            return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        }

        /** The bind mount's source, relative to the repository root (where the compose file is). */
        String repositoryPath() {
            return Repository.ROOT.relativize(Repository.file(source)).toString();
        }
    }

    /** A published port: the host address (empty for every interface), the host port, the container port. */
    record Port(String hostIp, String published, String target) {}

    record Service(String name, Map<String, Object> spec) {

        /** The networks the service is on; compose's {@code default} when it names none. */
        List<String> networks() {
            Object raw = spec.get("networks");
            if (raw == null) {
                return List.of("default");
            }
            if (raw instanceof Map<?, ?> m) {
                return m.keySet().stream().map(String::valueOf).toList();
            }
            return list(raw).stream().map(String::valueOf).toList();
        }

        Optional<String> image() {
            return Optional.ofNullable((String) spec.get("image"));
        }

        Optional<Build> build() {
            Object build = spec.get("build");
            if (build == null) {
                return Optional.empty();
            }
            Map<String, Object> b = build instanceof String context ? Map.of("context", context) : map(build);
            String context = Repository.ROOT
                    .relativize(Repository.file((String) b.get("context")))
                    .toString();
            String dockerfile = (String) b.getOrDefault("dockerfile", "Dockerfile");
            String path = Repository.ROOT
                    .relativize(Repository.file(context).resolve(dockerfile).normalize())
                    .toString();
            return Optional.of(new Build(context.isEmpty() ? "." : context, path));
        }

        /** The variables set for the service, with compose's defaults. */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            Object raw = spec.get("environment");
            if (raw instanceof List<?> list) {
                for (Object entry : list) {
                    String[] kv = String.valueOf(entry).split("=", 2);
                    env.put(kv[0], kv.length == 2 ? Interpolation.withDefaults(kv[1]) : null);
                }
            } else {
                map(raw).forEach(
                                (k, v) -> env.put(k, v == null ? null : Interpolation.withDefaults(String.valueOf(v))));
            }
            return env;
        }

        List<Port> ports() {
            List<Port> ports = new ArrayList<>();
            for (Object entry : list(spec.get("ports"))) {
                if (entry instanceof Map<?, ?> m) {
                    ports.add(new Port(
                            String.valueOf(m.get("host_ip") == null ? "" : m.get("host_ip")),
                            String.valueOf(m.get("published")),
                            String.valueOf(m.get("target"))));
                    continue;
                }
                String[] parts =
                        Interpolation.withDefaults(String.valueOf(entry)).split(":");
                ports.add(
                        switch (parts.length) {
                            case 1 -> new Port("", "", parts[0]);
                            case 2 -> new Port("", parts[0], parts[1]);
                            default -> new Port(parts[0], parts[1], parts[2]);
                        });
            }
            return ports;
        }

        List<Mount> volumes() {
            List<Mount> mounts = new ArrayList<>();
            for (Object entry : list(spec.get("volumes"))) {
                if (entry instanceof Map<?, ?> m) {
                    mounts.add(new Mount(
                            Interpolation.withDefaults(String.valueOf(m.get("source"))),
                            String.valueOf(m.get("target")),
                            Boolean.TRUE.equals(m.get("read_only"))));
                    continue;
                }
                String[] parts =
                        Interpolation.withDefaults(String.valueOf(entry)).split(":");
                mounts.add(new Mount(parts[0], parts[1], parts.length > 2 && parts[2].contains("ro")));
            }
            return mounts;
        }

        Map<String, Object> healthcheck() {
            return map(spec.get("healthcheck"));
        }

        /** Each service this one depends on, with its condition (the short list form means "started"). */
        Map<String, String> dependsOn() {
            Map<String, String> dependencies = new LinkedHashMap<>();
            Object raw = spec.get("depends_on");
            if (raw instanceof List<?> names) {
                names.forEach(n -> dependencies.put(String.valueOf(n), "service_started"));
            } else {
                map(raw).forEach((n, v) -> dependencies.put(n, String.valueOf(map(v).get("condition"))));
            }
            return dependencies;
        }

        boolean has(String key) {
            return spec.containsKey(key);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
