package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.coordinator.monitor.ClusterGauges;
import dev.mapreduce.coordinator.monitor.ClusterGauges.ClusterState;
import dev.mapreduce.coordinator.monitor.ClusterGauges.WorkerLag;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.TaskMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitoring/ folder cannot rot: every dashboard is valid Grafana JSON on the provisioned datasource, and every
 * metric its PromQL names (and docs/operations.md's, through monitoring/queries.promql) is one our services export, as the
 * meters defined in the code show when scraped, or one a named exporter provides (monitoring/exporter-metrics.txt).
 */
class DashboardsTest {

    /**
     * Names Spring Boot (or a library it configures) exports that cannot be scraped from meters bound here: HTTP
     * server timings (observations), HikariCP pools (services with a DataSource: coordinator, reduce worker,
     * gateway), GC pauses (registered at the first collection) and the gateway's circuit breaker. check-metrics.sh
     * finds them on the running services.
     */
    private static final Set<String> SPRING_BOOT_ONLY = Set.of(
            "http_server_requests_seconds",
            "hikaricp_connections_active",
            "hikaricp_connections_pending",
            "hikaricp_connections_max",
            "jvm_gc_pause_seconds",
            "resilience4j_circuitbreaker_state");

    /** The contract of design.md, which the docs and the load test rely on. */
    private static final Set<String> DESIGN_NAMES = Set.of(
            "mapreduce_jobs_completed_total",
            "mapreduce_jobs_failed_total",
            "mapreduce_tasks_started_total",
            "mapreduce_tasks_completed_total",
            "mapreduce_tasks_failed_total",
            "mapreduce_job_duration_seconds_bucket",
            "mapreduce_shuffle_bytes_total");

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static Path monitoring;
    private static Set<String> exported;
    private static Map<String, Set<String>> exporters;
    private static String datasourceUid;

    @BeforeAll
    static void load() throws IOException {
        monitoring = projectRoot().resolve("monitoring");
        exported = exportedByOurServices();
        exporters = exporterMetrics(monitoring.resolve("exporter-metrics.txt"));
        Map<String, Object> datasources = yaml(monitoring.resolve("grafana/provisioning/datasources/prometheus.yml"));
        List<Map<String, Object>> list = list(datasources.get("datasources"));
        assertThat(list).hasSize(1);
        datasourceUid = (String) list.get(0).get("uid");
    }

    @Test
    void ourServicesExportTheDesignMetricNames() {
        assertThat(exported).containsAll(DESIGN_NAMES);
    }

    @Test
    void theProvisionedDatasourceIsPrometheus() {
        Map<String, Object> file = yaml(monitoring.resolve("grafana/provisioning/datasources/prometheus.yml"));
        Map<String, Object> ds = list(file.get("datasources")).get(0);
        assertThat(file.get("apiVersion")).isEqualTo(1);
        assertThat(ds).containsEntry("type", "prometheus").containsEntry("access", "proxy");
        assertThat(datasourceUid).isNotBlank();
        assertThat((String) ds.get("url")).startsWith("http://");
    }

    @Test
    void theDashboardProviderLoadsFilesFromAPath() {
        Map<String, Object> file = yaml(monitoring.resolve("grafana/provisioning/dashboards/dashboards.yml"));
        assertThat(file.get("apiVersion")).isEqualTo(1);
        List<Map<String, Object>> providers = list(file.get("providers"));
        assertThat(providers).isNotEmpty();
        for (Map<String, Object> p : providers) {
            assertThat(p).containsEntry("type", "file").containsKey("name");
            assertThat(map(p.get("options")).get("path")).asString().startsWith("/");
        }
    }

    @Test
    void everyDashboardIsValidGrafanaJsonOnTheProvisionedDatasource() throws IOException {
        List<Path> dashboards = dashboards();
        assertThat(dashboards)
                .extracting(p -> p.getFileName().toString())
                .contains("job-overview.json", "worker-performance.json", "infrastructure.json");
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards) {
            JsonNode d = JSON.readTree(file.toFile());
            String where = file.getFileName().toString();
            assertThat(uids.add(d.path("uid").asString()))
                    .as(where + ": unique uid")
                    .isTrue();
            assertThat(d.path("title").asString()).as(where).isNotBlank();
            assertThat(d.path("schemaVersion").isInt())
                    .as(where + ": schemaVersion")
                    .isTrue();
            assertThat(d.path("schemaVersion").asInt()).as(where).isGreaterThanOrEqualTo(36);
            assertThat(d.path("panels").isArray() && !d.path("panels").isEmpty())
                    .as(where + ": panels")
                    .isTrue();
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode panel : d.path("panels")) {
                String p = where + " panel " + panel.path("title").asString();
                assertThat(panel.path("id").isInt()).as(p + ": id").isTrue();
                assertThat(ids.add(panel.path("id").asInt()))
                        .as(p + ": unique id")
                        .isTrue();
                assertThat(panel.path("type").asString()).as(p + ": type").isNotBlank();
                int[] box = gridPos(panel.path("gridPos"), p);
                for (int[] other : boxes) {
                    assertThat(overlaps(box, other))
                            .as(p + ": overlaps another panel")
                            .isFalse();
                }
                boxes.add(box);
                assertThat(panel.path("datasource").path("uid").asString())
                        .as(p + ": datasource")
                        .isEqualTo(datasourceUid);
                assertThat(panel.path("targets").isArray()
                                && !panel.path("targets").isEmpty())
                        .as(p + ": targets")
                        .isTrue();
                Set<String> refIds = new HashSet<>();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(refIds.add(target.path("refId").asString()))
                            .as(p + ": unique refId")
                            .isTrue();
                    assertThat(target.path("expr").asString()).as(p + ": expr").isNotBlank();
                    if (target.has("datasource")) {
                        assertThat(target.path("datasource").path("uid").asString())
                                .as(p + ": target datasource")
                                .isEqualTo(datasourceUid);
                    }
                }
            }
        }
    }

    @Test
    void everyMetricADashboardUsesIsExportedOrComesFromANamedExporter() throws IOException {
        Map<String, Set<String>> unknown = new LinkedHashMap<>();
        for (Path file : dashboards()) {
            for (String expr : expressions(JSON.readTree(file.toFile()))) {
                for (String name : PromQl.metricNames(expr)) {
                    if (!known(name)) {
                        unknown.computeIfAbsent(name, n -> new TreeSet<>()).add(file.getFileName() + ": " + expr);
                    }
                }
            }
        }
        assertThat(unknown).as("metrics no service or listed exporter provides").isEmpty();
    }

    @Test
    void everyMetricOfTheReadmeQueriesIsExported() throws IOException {
        List<String> queries = queries(Files.readString(monitoring.resolve("queries.promql")));
        assertThat(queries).isNotEmpty();
        Set<String> unknown = new TreeSet<>();
        for (String query : queries) {
            PromQl.metricNames(query).stream().filter(n -> !known(n)).forEach(unknown::add);
        }
        assertThat(unknown).isEmpty();
    }

    /** The ```promql blocks of docs/operations.md are the file check-metrics.sh reads. */
    @Test
    void theDocumentedQueriesAreThoseOfQueriesPromql() throws IOException {
        List<String> documented = new ArrayList<>();
        Matcher blocks = Pattern.compile("(?ms)^```promql\\n(.*?)^```")
                .matcher(Files.readString(monitoring.getParent().resolve("docs/operations.md")));
        while (blocks.find()) {
            documented.addAll(queries(blocks.group(1)));
        }
        assertThat(documented)
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(queries(Files.readString(monitoring.resolve("queries.promql"))));
    }

    @Test
    void theKafkaNamesListedAreThoseTheJmxExporterRulesProduce() {
        Set<String> produced = new HashSet<>();
        for (Map<String, Object> rule :
                list(yaml(monitoring.resolve("kafka/jmx-exporter.yml")).get("rules"))) {
            assertThat(rule).containsKeys("pattern", "name", "type");
            produced.add((String) rule.get("name"));
        }
        assertThat(produced).containsAll(exporters.get("kafka jmx"));
    }

    @Test
    void prometheusScrapesEveryServiceWithItsKindAsTheJob() {
        Map<String, List<String>> local = new HashMap<>();
        for (Map<String, Object> job : scrapeConfigs("prometheus/prometheus.yml")) {
            List<String> targets = new ArrayList<>();
            for (Map<String, Object> sc : list(job.get("static_configs"))) {
                targets.addAll(strings(sc.get("targets")));
            }
            local.put((String) job.get("job_name"), targets);
        }
        assertThat(local)
                .containsEntry("coordinator", List.of("127.0.0.1:8080", "127.0.0.1:8180"))
                .containsEntry("map-worker", List.of("127.0.0.1:8081", "127.0.0.1:8181"))
                .containsEntry("reduce-worker", List.of("127.0.0.1:8082", "127.0.0.1:8182"))
                .containsEntry("api-gateway", List.of("127.0.0.1:8090"));

        Map<String, String> compose = new HashMap<>();
        for (Map<String, Object> job : scrapeConfigs("prometheus/prometheus-compose.yml")) {
            if (job.containsKey("dns_sd_configs")) {
                Map<String, Object> dns = list(job.get("dns_sd_configs")).get(0);
                assertThat(dns).containsEntry("type", "A");
                compose.put(
                        (String) job.get("job_name"), strings(dns.get("names")).get(0) + ":" + dns.get("port"));
            }
        }
        assertThat(compose)
                .containsEntry("coordinator", "coordinator:8080")
                .containsEntry("map-worker", "map-worker:8081")
                .containsEntry("reduce-worker", "reduce-worker:8082")
                .containsEntry("api-gateway", "api-gateway:8090")
                .containsEntry("kafka", "kafka:9404")
                .containsEntry("redis", "redis-exporter:9121")
                .containsEntry("postgres", "postgres-exporter:9187");
    }

    private static List<Map<String, Object>> scrapeConfigs(String file) {
        Map<String, Object> config = yaml(monitoring.resolve(file));
        List<Map<String, Object>> jobs = list(config.get("scrape_configs"));
        Set<String> names = new HashSet<>();
        for (Map<String, Object> job : jobs) {
            assertThat(names.add((String) job.get("job_name")))
                    .as(file + ": unique job_name")
                    .isTrue();
            if (List.of("coordinator", "map-worker", "reduce-worker", "api-gateway")
                    .contains(job.get("job_name"))) {
                assertThat(job).as(file).containsEntry("metrics_path", "/actuator/prometheus");
            }
        }
        return jobs;
    }

    /** Whether our services or a listed exporter provide {@code name}, a histogram's series by its base name. */
    private static boolean known(String name) {
        String base = name.replaceFirst("_(bucket|sum|count)$", "");
        if (exported.contains(name) || SPRING_BOOT_ONLY.contains(name) || SPRING_BOOT_ONLY.contains(base)) {
            return true;
        }
        return exporters.values().stream().anyMatch(names -> names.contains(name) || names.contains(base));
    }

    /**
     * Every series name our meters produce: the coordinator's and both workers' meters and the JVM and process
     * binders Spring Boot binds, in one registry, scraped.
     */
    private static Set<String> exportedByOurServices() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new CoordinatorMetrics(registry);
        // the heartbeat lag has one series per worker: none until a worker is seen
        new ClusterGauges(registry)
                .publish(new ClusterState(
                        0, Map.of(), Map.of(), List.of(new WorkerLag("map-worker-1", TaskType.MAP, true, 0))));
        new TaskMetrics(registry, TaskType.MAP);
        new TaskMetrics(registry, TaskType.REDUCE);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        try (JvmGcMetrics gc = new JvmGcMetrics()) {
            gc.bindTo(registry);
        }
        Set<String> names = new TreeSet<>();
        Matcher m = SAMPLE.matcher(registry.scrape());
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** {@code [exporter]} sections of metric names; {@code #} starts a comment. */
    private static Map<String, Set<String>> exporterMetrics(Path file) throws IOException {
        Map<String, Set<String>> sections = new LinkedHashMap<>();
        Set<String> current = null;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                current = sections.computeIfAbsent(line.substring(1, line.length() - 1), k -> new TreeSet<>());
            } else {
                assertThat(current)
                        .as("a name before any [exporter] in " + file)
                        .isNotNull();
                assertThat(line).matches("[a-zA-Z_:][a-zA-Z0-9_:]*");
                current.add(line);
            }
        }
        assertThat(sections).containsKeys("redis_exporter", "postgres_exporter", "kafka jmx");
        return sections;
    }

    /** The queries of a PromQL file or block: one per line, without comments and blank lines. */
    private static List<String> queries(String text) {
        return text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asString());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            exprs.add(query.isObject() ? query.path("query").asString() : query.asString(""));
        }
        return exprs;
    }

    private static int[] gridPos(JsonNode g, String where) {
        for (String k : List.of("h", "w", "x", "y")) {
            assertThat(g.path(k).isInt()).as(where + ": gridPos." + k).isTrue();
        }
        int[] box = {
            g.path("x").asInt(),
            g.path("y").asInt(),
            g.path("w").asInt(),
            g.path("h").asInt()
        };
        assertThat(box[0]).as(where).isNotNegative();
        assertThat(box[1]).as(where).isNotNegative();
        assertThat(box[2]).as(where).isPositive();
        assertThat(box[3]).as(where).isPositive();
        assertThat(box[0] + box[2]).as(where + ": within the 24 columns").isLessThanOrEqualTo(24);
        return box;
    }

    private static boolean overlaps(int[] a, int[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(monitoring.resolve("grafana/dashboards"))) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("monitoring"))) {
            dir = dir.getParent();
        }
        assertThat(dir)
                .as("a folder above the working directory holding monitoring/")
                .isNotNull();
        return dir;
    }

    private static Map<String, Object> yaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, Object> doc = new Yaml().load(in);
            assertThat(doc).as(file.toString()).isNotNull();
            return doc;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object o) {
        assertThat(o).isInstanceOf(List.class);
        return (List<String>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }
}
