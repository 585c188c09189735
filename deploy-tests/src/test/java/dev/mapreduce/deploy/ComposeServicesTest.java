package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.deploy.ComposeFile.Mount;
import dev.mapreduce.deploy.ComposeFile.Port;
import dev.mapreduce.deploy.ComposeFile.Service;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docker-compose.yml's services: what they run, how they start, what they publish, how they scale. */
class ComposeServicesTest {

    /** Published on the host (127.0.0.1 only): the public API and the two monitoring front ends. */
    private static final Set<String> PUBLISHED = Set.of("api-gateway", "grafana", "prometheus");

    /** Services run as several replicas (--scale): the workers, and coordinators as leader and standby. */
    private static final Set<String> SCALABLE = Set.of("coordinator", "map-worker", "reduce-worker");

    /** Settings that must differ per replica, so never fixed in the compose file. */
    private static final Set<String> PER_REPLICA = Set.of("WORKER_ID", "COORDINATOR_ID");

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void theWholeClusterIsThere() {
        assertThat(compose.services().keySet())
                .containsAll(Repository.serviceModules())
                .contains("kafka", "postgres", "redis", "prometheus", "grafana", "redis-exporter", "postgres-exporter");
    }

    @Test
    void everyServiceRunsAnImageOrABuildWhoseDockerfileExists() {
        for (Service service : compose.services().values()) {
            assertThat(service.image().isPresent() || service.build().isPresent())
                    .as("%s has an image or a build", service.name())
                    .isTrue();
            service.build().ifPresent(build -> {
                assertThat(Repository.file(build.context()))
                        .as("build context of %s", service.name())
                        .isDirectory();
                assertThat(Repository.file(build.dockerfile()))
                        .as("Dockerfile of %s", service.name())
                        .isRegularFile();
            });
            service.image().ifPresent(image -> assertThat(image)
                    .as("the image of %s has a fixed tag", service.name())
                    .matches("[^:]+:[^:]+")
                    .doesNotEndWith(":latest"));
        }
    }

    @Test
    void ourServicesRunTheImagesJibBuildsAndNeverPullThem() {
        for (String module : Repository.serviceModules()) {
            Service service = compose.service(module);
            assertThat(service.build())
                    .as("%s is built by Jib, not by Compose", module)
                    .isEmpty();
            assertThat(service.image()).as("image of %s", module).contains(Repository.image(module));
            assertThat(service.spec().get("pull_policy"))
                    .as("%s's image is never pulled (a registry's image of that name is not ours)", module)
                    .isEqualTo("never");
        }
    }

    @Test
    void ourServicesCheckTheirHealthWithTheProbeInTheirImageAtTheirPort() {
        for (String module : Repository.serviceModules()) {
            AppSettings settings = AppSettings.of(module);
            List<?> test = (List<?>) compose.service(module).healthcheck().get("test");
            assertThat(test).as("%s's health check", module).isNotNull();
            assertThat(test.get(0))
                    .as("%s's health check runs without a shell", module)
                    .isEqualTo("CMD");
            assertThat(test.get(1))
                    .as("%s's health check needs only the JRE", module)
                    .isEqualTo("java");
            List<String> arguments = test.stream().map(String::valueOf).toList();
            assertThat(arguments)
                    .as("%s's health check runs the probe on the image's classpath", module)
                    .containsSubsequence("-cp", "@/app/jib-classpath-file", HealthProbeClass.NAME)
                    .endsWith(settings.portVariable(), String.valueOf(settings.port()));
            assertThat(Repository.withDependencies(module))
                    .as("%s is built with the probe's module, so its image carries it", module)
                    .contains(HealthProbeClass.MODULE);
        }
        assertThat(HealthProbeClass.source()).as("the probe's source").isRegularFile();
    }

    @Test
    void everyServiceHasAHealthCheck() {
        for (Service service : compose.services().values()) {
            Map<String, Object> check = service.healthcheck();
            assertThat(check.get("disable"))
                    .as("health check of %s disabled", service.name())
                    .isNotEqualTo(true);
            if (check.containsKey("test")) {
                assertThat(String.valueOf(check.get("test"))).as(service.name()).doesNotContain("NONE");
            } else {
                String dockerfile = service.build()
                        .map(ComposeFile.Build::dockerfile)
                        .orElseThrow(() -> new AssertionError(service.name() + " has no health check"));
                assertThat(Dockerfile.read(dockerfile).lastInFinalStage("HEALTHCHECK"))
                        .as("%s has no health check in %s or in %s", service.name(), ComposeFile.NAME, dockerfile)
                        .hasValueSatisfying(h -> assertThat(h.arguments()).startsWith("CMD"));
            }
        }
    }

    @Test
    void servicesWaitForWhatTheyDependOnToBeHealthy() {
        Map<String, Service> services = compose.services();
        for (Service service : services.values()) {
            service.dependsOn().forEach((dependency, condition) -> {
                assertThat(services)
                        .as("%s depends on %s", service.name(), dependency)
                        .containsKey(dependency);
                assertThat(condition)
                        .as("%s waits for %s to be healthy", service.name(), dependency)
                        .isEqualTo("service_healthy");
            });
        }
    }

    @Test
    void everythingButThePublishedServicesIsOnAnInternalNetworkOnly() {
        Map<String, Map<String, Object>> networks = compose.networks();
        for (Service service : compose.services().values()) {
            List<String> on = service.networks();
            assertThat(networks.keySet())
                    .as("%s's networks are declared", service.name())
                    .containsAll(on);
            boolean reachable = on.stream()
                    .anyMatch(n -> !Boolean.TRUE.equals(networks.get(n).get("internal")));
            assertThat(reachable)
                    .as("%s is on a network with a route to the host (%s)", service.name(), on)
                    .isEqualTo(PUBLISHED.contains(service.name()));
        }
        for (String module : Repository.serviceModules()) {
            if (!PUBLISHED.contains(module)) {
                assertThat(compose.service(module).networks())
                        .as("%s is on the internal network only", module)
                        .containsExactly("internal");
            }
        }
        // the gateway and Prometheus reach the internal services; Grafana needs only Prometheus
        assertThat(compose.service("api-gateway").networks()).contains("internal");
        assertThat(compose.service("prometheus").networks()).contains("internal");
        assertThat(compose.service("grafana").networks()).doesNotContain("internal");
    }

    @Test
    void onlyTheGatewayGrafanaAndPrometheusArePublishedAndOnlyOnLoopback() {
        for (Service service : compose.services().values()) {
            List<Port> ports = service.ports();
            if (!PUBLISHED.contains(service.name())) {
                assertThat(ports).as("%s publishes no port", service.name()).isEmpty();
                continue;
            }
            assertThat(ports).as("%s publishes its port", service.name()).hasSize(1);
            for (Port port : ports) {
                assertThat(port.hostIp())
                        .as("%s is published on 127.0.0.1 only", service.name())
                        .isEqualTo("127.0.0.1");
                assertThat(port.published())
                        .as("%s has a fixed host port", service.name())
                        .isNotBlank();
            }
        }
        int gatewayPort = AppSettings.of("api-gateway").port();
        assertThat(compose.service("api-gateway").ports().get(0).target()).isEqualTo(String.valueOf(gatewayPort));
    }

    @Test
    void workersAndCoordinatorsScaleWithoutClashing() {
        for (String name : SCALABLE) {
            Service service = compose.service(name);
            assertThat(service.ports()).as("%s has no host port", name).isEmpty();
            assertThat(service.has("container_name"))
                    .as("%s has no container_name", name)
                    .isFalse();
            assertThat(service.has("hostname"))
                    .as("%s has no fixed hostname (worker ids use it)", name)
                    .isFalse();
            assertThat(service.environment().keySet())
                    .as("%s leaves its id to each replica", name)
                    .doesNotContainAnyElementsOf(PER_REPLICA);
        }
    }

    @Test
    void namedVolumesAreDeclaredAndBindMountedFilesExist() {
        String inputRoot = compose.service("coordinator").environment().get("MAPREDUCE_INPUT_ROOT");
        List<String> missing = new ArrayList<>();
        for (Service service : compose.services().values()) {
            for (Mount mount : service.volumes()) {
                if (!mount.isBind()) {
                    assertThat(compose.namedVolumes())
                            .as("volume of %s", service.name())
                            .contains(mount.source());
                } else if (!mount.target().equals(inputRoot) && !Files.exists(Repository.file(mount.source()))) {
                    // the input folder is created by Docker when missing; everything else must be in the repository
                    missing.add(mount.repositoryPath() + " (mounted by " + service.name() + ")");
                }
            }
        }
        assertThat(missing)
                .as("files mounted by %s that are missing", ComposeFile.NAME)
                .isEmpty();
    }
}
