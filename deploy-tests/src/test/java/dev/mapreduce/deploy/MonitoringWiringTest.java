package dev.mapreduce.deploy;

import static dev.mapreduce.deploy.ComposeFile.list;
import static dev.mapreduce.deploy.ComposeFile.map;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.deploy.ComposeFile.Mount;
import dev.mapreduce.deploy.ComposeFile.Service;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The monitoring files docker-compose.yml mounts (monitoring/, from the observability work) fit the
 * compose services: Prometheus scrapes every service by its compose name and port, Grafana's
 * datasource is the prometheus service and its dashboards come from a mounted folder.
 */
class MonitoringWiringTest {

    private final ComposeFile compose = ComposeFile.load();

    /** Every place metrics come from: service name → "port path". */
    private Map<String, String> metricSources() {
        Map<String, String> sources = new LinkedHashMap<>();
        for (String module : Repository.serviceModules()) {
            sources.put(module, AppSettings.of(module).port() + " /actuator/prometheus");
        }
        Matcher agent = Pattern.compile("=(\\d+):")
                .matcher(compose.service("kafka").environment().get("KAFKA_OPTS"));
        assertThat(agent.find()).as("Kafka's JMX exporter port in KAFKA_OPTS").isTrue();
        sources.put("kafka", agent.group(1) + " /metrics");
        sources.put("redis-exporter", "9121 /metrics");
        sources.put("postgres-exporter", "9187 /metrics");
        return sources;
    }

    /** What the compose Prometheus scrapes: "host:port path" for each static or DNS-discovered target. */
    private List<String> scrapeTargets() {
        Mount config = compose.service("prometheus").volumes().stream()
                .filter(m -> m.target().equals("/etc/prometheus/prometheus.yml"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("prometheus mounts no /etc/prometheus/prometheus.yml"));
        Path file = Repository.file(config.source());
        assertThat(file)
                .as("Prometheus's configuration for compose (from the observability work)")
                .isRegularFile();
        Map<String, Object> prometheus = new Yaml().load(Repository.read(config.repositoryPath()));
        List<String> targets = new ArrayList<>();
        for (Object job : list(prometheus.get("scrape_configs"))) {
            String path = String.valueOf(map(job).getOrDefault("metrics_path", "/metrics"));
            for (Object c : list(map(job).get("static_configs"))) {
                list(map(c).get("targets")).forEach(t -> targets.add(t + " " + path));
            }
            for (Object c : list(map(job).get("dns_sd_configs"))) {
                list(map(c).get("names")).forEach(n -> targets.add(n + ":" + map(c).get("port") + " " + path));
            }
        }
        return targets;
    }

    @Test
    void prometheusScrapesEveryServiceByItsComposeName() {
        List<String> targets = scrapeTargets();
        metricSources().forEach((service, portAndPath) -> {
            String[] p = portAndPath.split(" ");
            assertThat(targets)
                    .as("Prometheus scrapes %s:%s%s", service, p[0], p[1])
                    .contains(service + ":" + p[0] + " " + p[1]);
        });
    }

    @Test
    void grafanasDatasourceIsThePrometheusService() throws IOException {
        Service grafana = compose.service("grafana");
        List<String> urls = new ArrayList<>();
        for (Map<String, Object> file : provisioning(grafana, "datasources")) {
            for (Object source : list(file.get("datasources"))) {
                if ("prometheus".equals(map(source).get("type"))) {
                    urls.add(expand(String.valueOf(map(source).get("url")), grafana.environment()));
                }
            }
        }
        assertThat(urls).as("Grafana's Prometheus datasources").isNotEmpty();
        int port = Integer.parseInt(compose.service("prometheus").ports().get(0).target());
        assertThat(urls).allSatisfy(url -> {
            URI uri = URI.create(url);
            assertThat(uri.getHost()).isEqualTo("prometheus");
            assertThat(uri.getPort()).isEqualTo(port);
        });
        assertThat(grafana.dependsOn()).containsKey("prometheus");
    }

    @Test
    void grafanasDashboardsComeFromAMountedFolderOfDashboards() throws IOException {
        Service grafana = compose.service("grafana");
        List<String> paths = new ArrayList<>();
        for (Map<String, Object> file : provisioning(grafana, "dashboards")) {
            for (Object provider : list(file.get("providers"))) {
                paths.add(
                        expand(String.valueOf(map(map(provider).get("options")).get("path")), grafana.environment()));
            }
        }
        assertThat(paths).as("Grafana's dashboard providers").isNotEmpty();
        for (String path : paths) {
            Mount mount = grafana.volumes().stream()
                    .filter(m -> m.isBind() && (path + "/").startsWith(m.target() + "/"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("Grafana reads dashboards from " + path + ", not mounted"));
            Path folder = Repository.file(mount.source())
                    .resolve(Path.of(mount.target()).relativize(Path.of(path)));
            try (Stream<Path> files = Files.walk(folder)) {
                assertThat(files.filter(f -> f.toString().endsWith(".json")))
                        .as("dashboards in %s", folder)
                        .isNotEmpty();
            }
        }
    }

    /** The provisioning files of one kind (datasources, dashboards) Grafana gets from its mounts. */
    private static List<Map<String, Object>> provisioning(Service grafana, String kind) throws IOException {
        Mount mount = grafana.volumes().stream()
                .filter(m -> m.target().equals("/etc/grafana/provisioning"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("grafana mounts nothing at /etc/grafana/provisioning"));
        Path folder = Repository.file(mount.source()).resolve(kind);
        assertThat(folder)
                .as("Grafana provisioning (from the observability work)")
                .isDirectory();
        List<Map<String, Object>> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(folder)) {
            for (Path p : paths.filter(f -> f.toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList()) {
                files.add(new Yaml().load(Files.readString(p)));
            }
        }
        return files;
    }

    /** Grafana expands $NAME and ${NAME} in provisioning files from its environment. */
    private static String expand(String value, Map<String, String> env) {
        Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            assertThat(v)
                    .as("%s, used in Grafana's provisioning, is set for grafana", m.group(1))
                    .isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }
}
