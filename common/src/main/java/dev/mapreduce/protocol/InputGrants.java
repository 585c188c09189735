package dev.mapreduce.protocol;

import dev.mapreduce.engine.input.InputRoot;
import dev.mapreduce.engine.input.ObjectPath;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The inputs one tenant may read: Kafka topic name patterns ({@code *} matches any characters),
 * folders under the input root (a folder grants everything below it) and object store prefixes
 * ({@code s3://bucket/prefix}, everything under {@code prefix/}). {@link #ALL} reads everything:
 * admins, and every caller of a gateway without API keys.
 *
 * <p>Written as comma-separated {@code kind:value} grants, {@code topic:acme-*,path:acme,s3:s3://logs/acme};
 * {@code none} for no grant at all. The gateway sends a tenant's grants in that form to the
 * coordinator ({@link #HEADER}), which refuses an input outside them exactly as a missing one.
 */
public record InputGrants(boolean all, List<String> topics, List<String> paths, List<ObjectPath> objects) {

    /** The header the gateway sends a tenant's grants in; absent means {@link #ALL}. */
    public static final String HEADER = "X-MapReduce-Inputs";

    public static final InputGrants ALL = new InputGrants(true, List.of(), List.of(), List.of());
    public static final InputGrants NONE = new InputGrants(false, List.of(), List.of(), List.of());

    private static final String NONE_TEXT = "none";
    private static final Pattern TOPIC_PATTERN = Pattern.compile("[A-Za-z0-9._*-]{1,249}");

    public InputGrants {
        topics = List.copyOf(topics);
        paths = List.copyOf(paths);
        objects = List.copyOf(objects);
    }

    /**
     * Parses {@code kind:value} grants, comma-separated ({@code topic}, {@code path}, {@code s3}), or
     * {@code none}.
     *
     * @throws IllegalArgumentException naming the grant and what is wrong with it
     */
    public static InputGrants parse(String text) {
        if (text == null || text.isBlank() || text.strip().equals(NONE_TEXT)) {
            return NONE;
        }
        List<String> topics = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<ObjectPath> objects = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String grant = part.strip();
            int colon = grant.indexOf(':');
            String kind = colon < 0 ? grant : grant.substring(0, colon);
            String value = colon < 0 ? "" : grant.substring(colon + 1);
            switch (kind) {
                case "topic" -> topics.add(topicPattern(value));
                case "path" -> paths.add(pathRoot(value));
                case "s3" -> objects.add(objectPrefix(value));
                default ->
                    throw new IllegalArgumentException("input grant '" + grant
                            + "' must be topic:<pattern>, path:<folder> or s3:s3://<bucket>/<prefix>");
            }
        }
        return new InputGrants(false, topics, paths, objects);
    }

    /** This grant list as {@link #parse} reads it; {@code none} for no grant. Not defined for {@link #ALL}. */
    public String text() {
        if (all) {
            throw new IllegalStateException("ALL has no text: it is sent as no header at all");
        }
        List<String> grants = new ArrayList<>();
        topics.forEach(t -> grants.add("topic:" + t));
        paths.forEach(p -> grants.add("path:" + p));
        objects.forEach(o -> grants.add("s3:" + o));
        return grants.isEmpty() ? NONE_TEXT : String.join(",", grants);
    }

    /** Whether the topic is granted: a pattern matches its whole name. */
    public boolean mayReadTopic(String topic) {
        return all
                || topics.stream()
                        .anyMatch(pattern -> glob(pattern).matcher(topic).matches());
    }

    /**
     * Whether a path under the input root is granted: it is a granted folder or below one. Read by
     * name ({@code a/./b} is {@code a/b}); call it again with each file's real location, so a link
     * inside a granted folder grants nothing outside it.
     */
    public boolean mayReadPath(String relative) {
        if (all) {
            return true;
        }
        String path = normalise(relative);
        return paths.stream().anyMatch(root -> root.equals("*") || path.equals(root) || path.startsWith(root + "/"));
    }

    /**
     * Whether an object store input is granted: its bucket is granted and the keys it can name all
     * lie under a granted prefix (a glob's literal start must already be inside the prefix's folder).
     */
    public boolean mayReadObjects(ObjectPath input) {
        if (all) {
            return true;
        }
        String start = input.listPrefix();
        return objects.stream().filter(o -> o.bucket().equals(input.bucket())).anyMatch(o -> {
            String prefix = stripSlashes(o.key());
            return prefix.isEmpty()
                    || start.startsWith(prefix + "/")
                    || (!input.isGlob() && stripSlashes(start).equals(prefix));
        });
    }

    private static String topicPattern(String value) {
        if (!TOPIC_PATTERN.matcher(value).matches()) {
            throw new IllegalArgumentException("input grant 'topic:" + value
                    + "' must name a topic pattern of letters, digits, '.', '_', '-' and '*'");
        }
        return value;
    }

    private static String pathRoot(String value) {
        if (value.equals("*")) {
            return value;
        }
        String problem = InputRoot.syntaxProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException("input grant 'path:" + value + "' " + problem);
        }
        String root = normalise(value);
        if (root.isEmpty()) {
            throw new IllegalArgumentException(
                    "input grant 'path:" + value + "' names the whole input root: write path:*");
        }
        return root;
    }

    private static ObjectPath objectPrefix(String value) {
        if (!ObjectPath.isObjectPath(value)) {
            throw new IllegalArgumentException("input grant 's3:" + value + "' must be s3://<bucket>[/<prefix>]");
        }
        ObjectPath path;
        try {
            path = ObjectPath.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input grant 's3:" + value + "': " + e.getMessage());
        }
        if (path.isGlob()) {
            throw new IllegalArgumentException("input grant 's3:" + value + "' must be a prefix, not a glob");
        }
        return new ObjectPath(path.bucket(), stripSlashes(path.key()));
    }

    /** {@code a/./b/} as {@code a/b}: the segments that name something. */
    private static String normalise(String relative) {
        List<String> segments = new ArrayList<>();
        for (String segment : relative.split("/")) {
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return String.join("/", segments);
    }

    private static String stripSlashes(String key) {
        int end = key.length();
        while (end > 0 && key.charAt(end - 1) == '/') {
            end--;
        }
        return key.substring(0, end);
    }

    private static Pattern glob(String pattern) {
        List<String> literals = new ArrayList<>();
        for (String literal : pattern.split("\\*", -1)) {
            literals.add(Pattern.quote(literal));
        }
        return Pattern.compile(String.join(".*", literals));
    }
}
