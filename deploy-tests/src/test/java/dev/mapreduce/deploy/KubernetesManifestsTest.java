package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.deploy.ManifestValidator.Manifest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s: every manifest file matches the Kubernetes API's schemas (fabric8's models, unknown
 * fields failing), every overlay renders (kubectl kustomize) to valid manifests that run our four
 * services as docs/kubernetes.md says, and the validator fails the deliberately broken manifests.
 */
class KubernetesManifestsTest {

    static final String K8S = "deploy/k8s";

    private static final Map<String, String> LETTER =
            Map.of("coordinator", "C", "map-worker", "M", "reduce-worker", "R", "api-gateway", "G");

    /** Settings that must not be one value for all pods, are test-only, or are a family the user adds to. */
    private static final Pattern NOT_CONFIGURED =
            Pattern.compile("WORKER_ID|COORDINATOR_ID|HOSTNAME|MAPREDUCE_TESTFAULTS_.*|MAPREDUCE_KAFKA_PROPERTIES_.*");

    private static final Set<String> SECRETS = Set.of(
            "MAPREDUCE_INTERNAL_TOKEN",
            "POSTGRES_PASSWORD",
            "GATEWAY_DB_PASSWORD",
            "REDUCE_WORKER_DB_PASSWORD",
            "MONITOR_DB_PASSWORD",
            "REDIS_PASSWORD",
            "MAPREDUCE_API_KEYS",
            "MAPREDUCE_S3_ACCESS_KEY_ID",
            "MAPREDUCE_S3_SECRET_ACCESS_KEY");

    private final ManifestValidator validator = new ManifestValidator();

    static List<Path> manifestFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Repository.file(K8S))) {
            return files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(p -> !isJsonPatch(p))
                    .sorted()
                    .toList();
        }
    }

    static List<String> overlays() {
        return Kustomize.overlays();
    }

    @ParameterizedTest
    @MethodSource("manifestFiles")
    void everyManifestFileMatchesTheApiSchemas(Path file) throws IOException {
        assertThat(validator.problems(
                        Files.readString(file), Repository.ROOT.relativize(file).toString()))
                .isEmpty();
    }

    @Test
    void theValidatorFailsEveryFaultOfTheBrokenManifests() throws IOException {
        assertThat(brokenProblems("deployment.yaml"))
                .anySatisfy(p -> assertThat(p).endsWith("unknown field spec.replica"))
                .anySatisfy(p -> assertThat(p)
                        .endsWith("unknown field spec.template.spec.containers[0].livenessProbe.httpGet.paths"))
                .anySatisfy(
                        p -> assertThat(p).endsWith("unknown field spec.template.spec.containers[0].resources.limit"))
                .hasSize(3);
        assertThat(brokenProblems("wrong-type.yaml"))
                .singleElement()
                .asString()
                .matches(".*(does not parse|unknown field spec\\.replicas).*");
        assertThat(brokenProblems("unknown-kind.yaml"))
                .singleElement()
                .asString()
                .contains("no model of the Kubernetes API has the kind apps/v1/Deploymnet");
        assertThat(brokenProblems("scaledobject.yaml"))
                .anySatisfy(p -> assertThat(p).endsWith("unknown field spec.maxReplicas"))
                .anySatisfy(p -> assertThat(p).endsWith("spec.scaleTargetRef.name is missing"))
                .anySatisfy(p -> assertThat(p).contains("spec.triggers[0].metadata.query is missing"))
                .hasSize(3);
    }

    private List<String> brokenProblems(String name) throws IOException {
        Path file = Path.of("src/test/resources/k8s-broken", name);
        return validator.problems(Files.readString(file), name);
    }

    @Test
    void everyKustomizationNamesFilesThatExistAndEveryJsonPatchIsWellFormed() throws IOException {
        Set<String> keys = Set.of(
                "apiVersion",
                "kind",
                "namespace",
                "labels",
                "resources",
                "components",
                "patches",
                "replicas",
                "images",
                "secretGenerator",
                "configMapGenerator");
        try (Stream<Path> files = Files.walk(Repository.file(K8S))) {
            for (Path file : files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .toList()) {
                Map<String, Object> kustomization = new Yaml().load(Files.readString(file));
                assertThat(keys).as("the fields of %s", file).containsAll(kustomization.keySet());
                List<String> referenced = new ArrayList<>();
                for (String list : List.of("resources", "components")) {
                    referenced.addAll(strings(kustomization.get(list)));
                }
                if (kustomization.get("patches") instanceof List<?> patches) {
                    for (Object patch : patches) {
                        referenced.add(String.valueOf(((Map<?, ?>) patch).get("path")));
                    }
                }
                for (String path : referenced) {
                    assertThat(file.getParent().resolve(path))
                            .as("%s names %s", file, path)
                            .exists();
                }
            }
            for (Path patch : manifestFilesAndPatches().stream()
                    .filter(KubernetesManifestsTest::isJsonPatch)
                    .toList()) {
                List<Map<String, Object>> operations = new Yaml().load(Files.readString(patch));
                for (Map<String, Object> operation : operations) {
                    assertThat(operation.get("op"))
                            .as("op in %s", patch)
                            .isIn("add", "remove", "replace", "move", "copy", "test");
                    assertThat(String.valueOf(operation.get("path")))
                            .as("path in %s", patch)
                            .startsWith("/spec/");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyOverlayRendersToValidManifests(String overlay) {
        List<String> problems = new ArrayList<>();
        validator.parse(Kustomize.render(overlay), overlay, problems);
        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceRunsItsImageAsNonRootWithTheCoordinatorTwice(String overlay) {
        Rendered rendered = Rendered.of(overlay, validator);
        for (String module : Repository.serviceModules()) {
            Deployment deployment = rendered.deployment(module);
            Container container = rendered.container(module);
            assertThat(container.getImage()).as("%s's image", module).isEqualTo(Repository.image(module));
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot())
                    .as("%s runs as non-root", module)
                    .isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser())
                    .as("%s's user", module)
                    .isNotNull()
                    .isNotZero();
            assertThat(container.getPorts())
                    .as("%s's ports", module)
                    .singleElement()
                    .satisfies(port -> {
                        assertThat(port.getContainerPort())
                                .isEqualTo(AppSettings.of(module).port());
                        assertThat(port.getName()).isEqualTo("http");
                    });
        }
        assertThat(rendered.deployment("coordinator").getSpec().getReplicas())
                .as("coordinator replicas: one leads, one stands by")
                .isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceIsProbedOnItsActuatorAndHasRequestsAndLimits(String overlay) {
        Rendered rendered = Rendered.of(overlay, validator);
        for (String module : Repository.serviceModules()) {
            Container container = rendered.container(module);
            assertProbe(container.getLivenessProbe(), "/actuator/health/liveness", module);
            assertProbe(container.getReadinessProbe(), "/actuator/health/readiness", module);
            assertProbe(container.getStartupProbe(), "/actuator/health/liveness", module);
            for (String resource : List.of("cpu", "memory")) {
                assertThat(container.getResources().getRequests())
                        .as("%s requests %s", module, resource)
                        .containsKey(resource);
                assertThat(container.getResources().getLimits())
                        .as("%s's %s limit", module, resource)
                        .containsKey(resource);
            }
        }
        assertThat(rendered.configMapValue("api-gateway", "MANAGEMENT_ENDPOINT_HEALTH_PROBES_ENABLED"))
                .as("the liveness and readiness groups the probes ask for are on")
                .isEqualTo("true");
    }

    private static void assertProbe(Probe probe, String path, String module) {
        assertThat(probe).as("%s's probe on %s", module, path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as("%s's probe", module).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal())
                .as("%s's probe port", module)
                .isEqualTo("http");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workersSpillToAnEmptyDir(String overlay) {
        Rendered rendered = Rendered.of(overlay, validator);
        String spill = rendered.configMapValue("map-worker", "MAPREDUCE_SPILLDIRECTORY");
        assertThat(spill).as("MAPREDUCE_SPILLDIRECTORY").isNotBlank();
        for (String worker : List.of("map-worker", "reduce-worker")) {
            String mountPath = "map-worker".equals(worker) ? spill : "/spill";
            VolumeMount mount = rendered.container(worker).getVolumeMounts().stream()
                    .filter(m -> m.getMountPath().equals(mountPath))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(worker + " mounts nothing at " + mountPath));
            Volume volume = rendered.deployment(worker).getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName()))
                    .findFirst()
                    .orElseThrow();
            assertThat(volume.getEmptyDir())
                    .as("%s's spill volume is an emptyDir", worker)
                    .isNotNull();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasADisruptionBudgetSelectingItsPods(String overlay) {
        Rendered rendered = Rendered.of(overlay, validator);
        for (String module : Repository.serviceModules()) {
            Map<String, String> podLabels = rendered.deployment(module)
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getLabels();
            assertThat(rendered.all(PodDisruptionBudget.class))
                    .as("a PodDisruptionBudget for %s", module)
                    .anySatisfy(pdb -> assertThat(podLabels)
                            .containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels()));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everySettingDocumentedForAServiceIsConfiguredAndSecretsComeFromTheSecret(String overlay) {
        Rendered rendered = Rendered.of(overlay, validator);
        Map<String, Set<String>> documented = documentedSettings();
        for (String module : Repository.serviceModules()) {
            Set<String> configured = rendered.environment(module);
            Set<String> missing = new TreeSet<>();
            documented.forEach((name, readers) -> {
                if (readers.contains(LETTER.get(module))
                        && !NOT_CONFIGURED.matcher(name).matches()
                        && !configured.contains(name)) {
                    missing.add(name);
                }
            });
            assertThat(missing)
                    .as("settings of %s (docs/configuration.md) that %s does not set", module, overlay)
                    .isEmpty();
            for (EnvVar env : rendered.container(module).getEnv()) {
                if (SECRETS.contains(env.getName())) {
                    assertThat(env.getValueFrom().getSecretKeyRef().getName())
                            .as("%s of %s", env.getName(), module)
                            .startsWith("mapreduce-secrets");
                }
            }
        }
        for (ConfigMap map : rendered.all(ConfigMap.class)) {
            assertThat(map.getData().keySet())
                    .as("ConfigMap %s holds no secret", map.getMetadata().getName())
                    .doesNotContainAnyElementsOf(SECRETS);
        }
        for (Secret secret : rendered.all(Secret.class)) {
            Map<String, String> data = secret.getData() == null ? secret.getStringData() : secret.getData();
            assertThat(data).as("Secret %s", secret.getMetadata().getName()).containsKey("MAPREDUCE_INTERNAL_TOKEN");
        }
    }

    @Test
    void productionScalesTheWorkersOnTheQueueDepth() {
        Rendered rendered = Rendered.of(K8S + "/overlays/production", validator);
        for (String worker : List.of("map-worker", "reduce-worker")) {
            GenericKubernetesResource scaled = rendered.all(GenericKubernetesResource.class).stream()
                    .filter(r -> r.getKind().equals("ScaledObject"))
                    .filter(r -> worker.equals(rendered.path(r, "spec", "scaleTargetRef", "name")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no ScaledObject scales " + worker));
            rendered.deployment(worker);
            String type = worker.startsWith("map") ? "map" : "reduce";
            List<?> triggers = (List<?>) rendered.path(scaled, "spec", "triggers");
            Map<?, ?> metadata = (Map<?, ?>) ((Map<?, ?>) triggers.get(0)).get("metadata");
            assertThat(String.valueOf(metadata.get("query")))
                    .as("%s's scaling query", worker)
                    .contains("mapreduce_tasks_waiting{application=\"coordinator\",type=\"" + type + "\"}");
            assertThat(metadata.get("threshold"))
                    .as("%s's threshold: one worker's slots", worker)
                    .isEqualTo(rendered.configMapValue(worker, "TASK_SLOTS"));
        }
        assertThat(rendered.configMapValue("coordinator", "MAX_IN_FLIGHT"))
                .as("with automatic in-flight limits the queue could never ask for more workers")
                .isNotEqualTo("0");
    }

    /** Each setting of docs/configuration.md's "The services" tables, with the letters of the services reading it. */
    static Map<String, Set<String>> documentedSettings() {
        String doc = Repository.read("docs/configuration.md");
        String services = doc.substring(doc.indexOf("## The services"), doc.indexOf("## The local stack"));
        Matcher row =
                Pattern.compile("(?m)^\\| `([A-Z][A-Z0-9_<>]*)` \\| ([^|]*)\\|").matcher(services);
        Map<String, Set<String>> settings = new java.util.TreeMap<>();
        while (row.find()) {
            Set<String> readers = new TreeSet<>(List.of(row.group(2).trim().split("\\s+")));
            settings.merge(row.group(1), readers, (a, b) -> {
                a.addAll(b);
                return a;
            });
        }
        assertThat(settings).as("settings found in docs/configuration.md").hasSizeGreaterThan(50);
        return settings;
    }

    private static List<Path> manifestFilesAndPatches() throws IOException {
        try (Stream<Path> files = Files.walk(Repository.file(K8S))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
    }

    private static boolean isJsonPatch(Path file) {
        try {
            return new Yaml().load(Files.readString(file)) instanceof List<?>;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException multipleDocuments) {
            return false;
        }
    }

    /** An overlay rendered and parsed. */
    record Rendered(String overlay, List<HasMetadata> objects) {

        static Rendered of(String overlay, ManifestValidator validator) {
            List<String> problems = new ArrayList<>();
            List<Manifest> manifests = validator.parse(Kustomize.render(overlay), overlay, problems);
            assertThat(problems).as("%s renders to valid manifests", overlay).isEmpty();
            return new Rendered(
                    overlay, manifests.stream().map(Manifest::resource).toList());
        }

        <T> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        Deployment deployment(String name) {
            return all(Deployment.class).stream()
                    .filter(d -> d.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + " has no Deployment " + name));
        }

        Container container(String name) {
            List<Container> containers =
                    deployment(name).getSpec().getTemplate().getSpec().getContainers();
            assertThat(containers).as("containers of %s", name).hasSize(1);
            return containers.get(0);
        }

        /** Every variable the service's container gets: its env, and the keys of the ConfigMaps it takes whole. */
        Set<String> environment(String name) {
            Container container = container(name);
            Set<String> names = new TreeSet<>();
            container.getEnv().forEach(e -> names.add(e.getName()));
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    names.addAll(configMap(from.getConfigMapRef().getName())
                            .getData()
                            .keySet());
                }
            }
            return names;
        }

        /** The value a ConfigMap the service takes whole gives {@code key} (the last one wins, as in Kubernetes). */
        String configMapValue(String name, String key) {
            String value = null;
            for (EnvFromSource from : container(name).getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    value = configMap(from.getConfigMapRef().getName())
                            .getData()
                            .getOrDefault(key, value);
                }
            }
            return value;
        }

        ConfigMap configMap(String name) {
            return all(ConfigMap.class).stream()
                    .filter(c -> c.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(overlay + " has no ConfigMap " + name));
        }

        Object path(GenericKubernetesResource resource, String... keys) {
            Object value = resource.getAdditionalProperties();
            for (String key : keys) {
                value = value instanceof Map<?, ?> m ? m.get(key) : null;
            }
            return value;
        }
    }

    private static List<String> strings(Object list) {
        return list instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }
}
