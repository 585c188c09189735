package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.deploy.ComposeFile.Mount;
import dev.mapreduce.deploy.ComposeFile.Service;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The environment docker-compose.yml gives our services, against the variables each one reads (the
 * placeholders of its configuration files): nothing required missing, no connection left on its
 * 127.0.0.1 default, no typo, and every address naming a service it waits for.
 */
class ComposeEnvironmentTest {

    /** Read by the images' entry point, not by the application. */
    private static final Set<String> IMAGE_VARIABLES = Set.of("JAVA_OPTS");

    /** The ports the infrastructure images listen on (their defaults; ours come from server.port). */
    private static final Map<String, Integer> IMAGE_PORTS = Map.of("postgres", 5432, "redis", 6379);

    /** host:port inside a connection setting: bootstrap servers, JDBC, redis:// and http:// URLs. */
    private static final Pattern ADDRESS = Pattern.compile("(?:^|//|,)([A-Za-z0-9.-]+):(\\d+)");

    private final ComposeFile compose = ComposeFile.load();

    static List<String> services() {
        return Repository.serviceModules();
    }

    @ParameterizedTest
    @MethodSource("services")
    void everySettingWithoutADefaultIsSet(String name) {
        Map<String, String> env = compose.service(name).environment();
        AppSettings.of(name).variables().forEach((variable, fallback) -> {
            if (fallback.isEmpty()) {
                assertThat(env.get(variable))
                        .as("%s reads %s, which has no default", name, variable)
                        .isNotBlank();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("services")
    void noConnectionSettingKeepsItsLoopbackDefault(String name) {
        Map<String, String> env = compose.service(name).environment();
        AppSettings.of(name).loopbackDefaults().forEach((variable, fallback) -> {
            assertThat(env.get(variable))
                    .as("%s: %s defaults to %s, nothing in another container", name, variable, fallback)
                    .isNotBlank()
                    .matches(value -> !AppSettings.isLoopback(value), "not a loopback address");
        });
    }

    @ParameterizedTest
    @MethodSource("services")
    void everyVariableSetIsOneTheServiceReads(String name) {
        Set<String> read = AppSettings.of(name).variables().keySet();
        for (String variable : compose.service(name).environment().keySet()) {
            assertThat(read.contains(variable) || IMAGE_VARIABLES.contains(variable))
                    .as("%s sets %s for %s, which reads no such variable (a typo?)", ComposeFile.NAME, variable, name)
                    .isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("services")
    void everyAddressNamesAServiceItWaitsForAtThePortItListensOn(String name) {
        Service service = compose.service(name);
        for (String variable : AppSettings.of(name).loopbackDefaults().keySet()) {
            String value = service.environment().get(variable);
            Matcher m = ADDRESS.matcher(value == null ? "" : value);
            List<String> hosts = new ArrayList<>();
            while (m.find()) {
                String host = m.group(1);
                hosts.add(host);
                assertThat(compose.services())
                        .as("%s of %s names service %s", variable, name, host)
                        .containsKey(host);
                assertThat(service.dependsOn())
                        .as("%s waits for %s", name, host)
                        .containsKey(host);
                listeningPort(host).ifPresent(port -> assertThat(Integer.parseInt(m.group(2)))
                        .as("%s of %s: the port %s listens on", variable, name, host)
                        .isEqualTo(port));
            }
            if (!variable.equals("BIND_ADDRESS")) {
                assertThat(hosts).as("%s of %s names a service", variable, name).isNotEmpty();
            }
        }
    }

    private Optional<Integer> listeningPort(String service) {
        if (Repository.serviceModules().contains(service)) {
            return Optional.of(AppSettings.of(service).port());
        }
        if (service.equals("kafka")) {
            String advertised = compose.service("kafka").environment().get("KAFKA_ADVERTISED_LISTENERS");
            Matcher m = Pattern.compile("PLAINTEXT://kafka:(\\d+)").matcher(advertised);
            assertThat(m.find())
                    .as("Kafka advertises PLAINTEXT://kafka:port, got %s", advertised)
                    .isTrue();
            return Optional.of(Integer.parseInt(m.group(1)));
        }
        return Optional.ofNullable(IMAGE_PORTS.get(service));
    }

    @ParameterizedTest
    @MethodSource("services")
    void theDatabaseAndItsCredentialsAreThePostgresServices(String name) {
        Map<String, String> env = compose.service(name).environment();
        if (!env.containsKey("POSTGRES_URL")) {
            return;
        }
        Map<String, String> postgres = compose.service("postgres").environment();
        URI url = URI.create(env.get("POSTGRES_URL").substring("jdbc:".length()));
        assertThat(url.getPath()).as("database of %s", name).isEqualTo("/" + postgres.get("POSTGRES_DB"));
        Map<String, String> coordinator = compose.service("coordinator").environment();
        switch (name) {
            case "coordinator" -> {
                // the schema's owner, which creates the other services' roles
                assertThat(env.get("POSTGRES_USER")).isEqualTo(postgres.get("POSTGRES_USER"));
                assertThat(env.get("POSTGRES_PASSWORD")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
            }
            case "api-gateway" -> {
                assertThat(env.get("POSTGRES_USER"))
                        .as("the gateway's own role")
                        .isEqualTo("mapreduce_gateway");
                assertThat(env.get("POSTGRES_PASSWORD"))
                        .as("the password the coordinator sets on mapreduce_gateway")
                        .isEqualTo(coordinator.get("GATEWAY_DB_PASSWORD"))
                        .isEqualTo("<GATEWAY_DB_PASSWORD>");
            }
            case "reduce-worker" -> {
                assertThat(env.get("POSTGRES_USER"))
                        .as("the reduce workers' own role")
                        .isEqualTo("mapreduce_reduce_worker");
                assertThat(env.get("POSTGRES_PASSWORD"))
                        .as("the password the coordinator sets on mapreduce_reduce_worker")
                        .isEqualTo(coordinator.get("REDUCE_WORKER_DB_PASSWORD"))
                        .isEqualTo("<REDUCE_WORKER_DB_PASSWORD>");
            }
            default -> throw new AssertionError(name + " connects to PostgreSQL as which role?");
        }
    }

    @Test
    void everyPasswordIsRequiredFromTheEnvironmentWithNoDefault() {
        assertThat(compose.service("postgres").environment().get("POSTGRES_PASSWORD"))
                .isEqualTo("<POSTGRES_PASSWORD>");
        assertThat(compose.service("grafana").environment().get("GF_SECURITY_ADMIN_PASSWORD"))
                .isEqualTo("<GRAFANA_ADMIN_PASSWORD>");
        Map<String, String> exporter = compose.service("postgres-exporter").environment();
        assertThat(exporter.get("DATA_SOURCE_USER"))
                .as("the exporter's own pg_monitor role, not the superuser")
                .isEqualTo("mapreduce_monitor");
        assertThat(exporter.get("DATA_SOURCE_PASS"))
                .as("the password the coordinator sets on mapreduce_monitor")
                .isEqualTo(compose.service("coordinator").environment().get("MONITOR_DB_PASSWORD"))
                .isEqualTo("<MONITOR_DB_PASSWORD>");
        for (Service service : compose.services().values()) {
            service.environment().forEach((variable, value) -> {
                if (variable.contains("PASSWORD") || variable.endsWith("_PASS") || variable.equals("REDISCLI_AUTH")) {
                    assertThat(value)
                            .as("%s: %s is required from .env, with no default", service.name(), variable)
                            .matches("<[A-Z_]+>");
                }
            });
        }
    }

    @Test
    void redisWantsAPasswordAndEveryClientOfItHasIt() {
        assertThat(String.join(
                        " ",
                        ComposeFile.list(compose.service("redis").spec().get("command")).stream()
                                .map(String::valueOf)
                                .toList()))
                .contains("--requirepass ${REDIS_PASSWORD:?");
        for (Service service : compose.services().values()) {
            Map<String, String> env = service.environment();
            if (env.containsKey("REDIS_URL") || env.containsKey("REDIS_ADDR")) {
                assertThat(env.get("REDIS_PASSWORD"))
                        .as("%s connects to Redis with its password", service.name())
                        .isEqualTo("<REDIS_PASSWORD>");
            }
        }
    }

    @Test
    void everyServiceReadingTheInputRootMountsTheSameFolderThere() {
        List<String> sources = new ArrayList<>();
        for (String name : services()) {
            if (!AppSettings.of(name).variables().containsKey("MAPREDUCE_INPUT_ROOT")) {
                continue;
            }
            String root = compose.service(name).environment().get("MAPREDUCE_INPUT_ROOT");
            assertThat(root)
                    .as("%s: MAPREDUCE_INPUT_ROOT, an absolute path", name)
                    .startsWith("/");
            Mount mount = compose.service(name).volumes().stream()
                    .filter(v -> v.target().equals(root))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(name + " mounts nothing at its input root " + root));
            sources.add(mount.source() + " at " + root);
        }
        assertThat(sources).as("the services reading job input files").hasSizeGreaterThanOrEqualTo(2);
        assertThat(Set.copyOf(sources))
                .as("one input folder for all of them, at one path")
                .hasSize(1);
    }

    @Test
    void theServiceTokenIsRequiredWithNoDefaultAndOnlyTheCoordinatorAndTheGatewayHaveIt() {
        for (String name : List.of("coordinator", "api-gateway")) {
            assertThat(compose.service(name).environment().get("MAPREDUCE_INTERNAL_TOKEN"))
                    .as("%s: MAPREDUCE_INTERNAL_TOKEN, required from .env (${MAPREDUCE_INTERNAL_TOKEN:?...})", name)
                    .isEqualTo("<MAPREDUCE_INTERNAL_TOKEN>");
        }
        for (String name : List.of("map-worker", "reduce-worker")) {
            assertThat(compose.service(name).environment()).doesNotContainKey("MAPREDUCE_INTERNAL_TOKEN");
        }
        assertThat(Repository.read(".gitignore").lines())
                .as(".env holds the token: never committed")
                .contains(".env");
    }
}
