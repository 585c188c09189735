package dev.mapreduce.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * Checks Kubernetes manifests against the API's schemas as fabric8's typed models hold them: each
 * document must parse into the model of its apiVersion and kind, and no field may be one the model
 * does not know (fabric8 keeps those in {@code additionalProperties} instead of failing, so every
 * object of the parsed tree is searched for them). KEDA's ScaledObject has no fabric8 model: it is
 * read as a {@link GenericKubernetesResource} and its required fields are checked here, by hand.
 */
final class ManifestValidator {

    /** A parsed manifest: its source, and the typed object (a GenericKubernetesResource for KEDA's kinds). */
    record Manifest(String source, HasMetadata resource) {}

    /** Kinds without a fabric8 model, with a check of their own. */
    private static final Set<String> KEDA = Set.of("keda.sh/v1alpha1/ScaledObject");

    private static final Set<String> KEDA_TRIGGER_TYPES = Set.of("prometheus", "cpu", "memory", "kafka", "redis");

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    /** The problems of every document in {@code yaml} (documents separated by {@code ---} lines). */
    List<String> problems(String yaml, String source) {
        List<String> problems = new ArrayList<>();
        parse(yaml, source, problems);
        return problems;
    }

    /** The documents of {@code yaml}, parsed; each problem found is added to {@code problems}. */
    List<Manifest> parse(String yaml, String source, List<String> problems) {
        List<Manifest> manifests = new ArrayList<>();
        int index = 0;
        for (String document : yaml.split("(?m)^---\\s*$")) {
            Object tree = new Yaml().load(document);
            if (tree == null) {
                continue; // only comments
            }
            String where = source + " #" + index++;
            if (!(tree instanceof Map<?, ?> map) || !map.containsKey("apiVersion") || !map.containsKey("kind")) {
                problems.add(where + ": not a Kubernetes object (apiVersion and kind)");
                continue;
            }
            String type = map.get("apiVersion") + "/" + map.get("kind");
            where = where + " (" + map.get("kind") + ")";
            KubernetesResource resource;
            try {
                resource = serialization.unmarshal(document, KubernetesResource.class);
            } catch (RuntimeException e) {
                problems.add(where + ": does not parse: " + rootMessage(e));
                continue;
            }
            if (KEDA.contains(type)) {
                checkScaledObject((GenericKubernetesResource) resource, where, problems);
            } else if (resource instanceof GenericKubernetesResource || !(resource instanceof HasMetadata)) {
                problems.add(where + ": no model of the Kubernetes API has the kind " + type);
                continue;
            } else {
                unknownFields(resource, "", problems, where, new IdentityHashMap<>());
            }
            HasMetadata object = (HasMetadata) resource;
            if (object.getMetadata() == null || object.getMetadata().getName() == null) {
                problems.add(where + ": metadata.name is missing");
            }
            manifests.add(new Manifest(where, object));
        }
        return manifests;
    }

    /** Adds a problem for each field in the tree below {@code value} that its model does not know. */
    private static void unknownFields(
            Object value, String path, List<String> problems, String where, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", problems, where, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "[" + k + "]", problems, where, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String name = Character.toLowerCase(getter.getName().charAt(3))
                    + getter.getName().substring(4);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    for (Object key : unknown.keySet()) {
                        problems.add(where + ": unknown field " + (path.isEmpty() ? "" : path + ".") + key);
                    }
                }
            } else {
                unknownFields(field, path.isEmpty() ? name : path + "." + name, problems, where, seen);
            }
        }
    }

    /**
     * KEDA's ScaledObject (keda.sh/v1alpha1), by its CRD's required fields: spec.scaleTargetRef.name,
     * at least one trigger with a type, and for the prometheus scaler serverAddress, query and threshold.
     */
    private static void checkScaledObject(GenericKubernetesResource object, String where, List<String> problems) {
        Map<String, Object> spec = map(object.getAdditionalProperties().get("spec"));
        Set<String> known = Set.of(
                "scaleTargetRef",
                "pollingInterval",
                "cooldownPeriod",
                "initialCooldownPeriod",
                "idleReplicaCount",
                "minReplicaCount",
                "maxReplicaCount",
                "advanced",
                "triggers",
                "fallback");
        for (String key : spec.keySet()) {
            if (!known.contains(key)) {
                problems.add(where + ": unknown field spec." + key);
            }
        }
        if (!(map(spec.get("scaleTargetRef")).get("name") instanceof String)) {
            problems.add(where + ": spec.scaleTargetRef.name is missing");
        }
        for (String count : List.of("minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod")) {
            if (spec.containsKey(count) && !(spec.get(count) instanceof Integer)) {
                problems.add(where + ": spec." + count + " is not an integer");
            }
        }
        List<?> triggers = spec.get("triggers") instanceof List<?> l ? l : List.of();
        if (triggers.isEmpty()) {
            problems.add(where + ": spec.triggers is missing or empty");
        }
        for (int i = 0; i < triggers.size(); i++) {
            Map<String, Object> trigger = map(triggers.get(i));
            Object type = trigger.get("type");
            if (!KEDA_TRIGGER_TYPES.contains(type)) {
                problems.add(where + ": spec.triggers[" + i + "].type is " + type + ", not a scaler this project uses");
            }
            Map<String, Object> metadata = map(trigger.get("metadata"));
            if ("prometheus".equals(type)) {
                for (String required : List.of("serverAddress", "query", "threshold")) {
                    if (!(metadata.get(required) instanceof String s) || s.isBlank()) {
                        problems.add(where + ": spec.triggers[" + i + "].metadata." + required
                                + " is missing (KEDA wants a string)");
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        return message.lines().findFirst().orElse(message);
    }
}
