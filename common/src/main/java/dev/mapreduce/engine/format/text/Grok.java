package dev.mapreduce.engine.format.text;

import dev.mapreduce.engine.format.FieldType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Grok: regular expressions built from named patterns. {@code %{NAME}} stands for the pattern
 * NAME, {@code %{NAME:field}} also captures it as a field, and {@code %{NAME:field:int}} (or
 * {@code :float}) types the field as LONG (or DOUBLE). The standard library is the legacy pattern
 * files of logstash-patterns-core (Apache-2.0, vendored with its notice), with the patterns that
 * need lookaround rewritten for RE2; a job may add patterns of its own or replace library ones.
 * Oniguruma named groups {@code (?<field>...)} in patterns capture fields too. The result is one
 * RE2 expression, so matching is linear in the line: grok never reaches {@code java.util.regex}.
 */
public final class Grok {

    /** The library files, in the order they are read; a later definition replaces an earlier one. */
    static final List<String> LIBRARY_FILES = List.of(
            "grok-patterns",
            "httpd",
            "java",
            "linux-syslog",
            "aws",
            "bacula",
            "bind",
            "bro",
            "exim",
            "firewalls",
            "haproxy",
            "junos",
            "maven",
            "mcollective",
            "mcollective-patterns",
            "mongodb",
            "nagios",
            "postgresql",
            "rails",
            "redis",
            "ruby",
            "squid",
            "re2-overrides");

    /** Expansion deeper than this is a loop (a pattern that refers to itself). */
    static final int MAX_DEPTH = 64;

    private static volatile Map<String, String> library;

    private Grok() {}

    /** The standard library: name → definition. */
    public static Map<String, String> library() {
        Map<String, String> l = library;
        if (l == null) {
            Map<String, String> all = new LinkedHashMap<>();
            for (String file : LIBRARY_FILES) {
                read(file, all);
            }
            library = l = Collections.unmodifiableMap(all);
        }
        return l;
    }

    private static void read(String file, Map<String, String> into) {
        String resource = "grok/" + file;
        try (InputStream in = Grok.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the grok library file " + resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                int space = l.indexOf(' ');
                if (space > 0) {
                    into.put(l.substring(0, space), l.substring(space + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A grok expression expanded to RE2: {@code regex} names its groups {@code g1}, {@code g2}, ...;
     * {@code fields} maps each field to its group names in order; {@code types} holds the types
     * given with {@code :int} or {@code :float}.
     */
    public record Expansion(String regex, Map<String, List<String>> fields, Map<String, FieldType> types) {}

    /**
     * Expands {@code expression} with the library and {@code own} patterns (which replace library
     * ones of the same name).
     *
     * @param problems where every unknown pattern, loop and bad reference goes
     * @return the expansion, meaningful only when no problem was added
     */
    public static Expansion expand(String expression, Map<String, String> own, List<String> problems) {
        Map<String, String> patterns = new LinkedHashMap<>(library());
        if (own != null) {
            patterns.putAll(own);
        }
        Expander e = new Expander(patterns, problems);
        String regex = e.expand(expression, new ArrayDeque<>());
        return new Expansion(regex, e.fields, e.types);
    }

    private static final class Expander {
        private final Map<String, String> patterns;
        private final List<String> problems;
        private final Map<String, List<String>> fields = new LinkedHashMap<>();
        private final Map<String, FieldType> types = new LinkedHashMap<>();
        private int groups;

        Expander(Map<String, String> patterns, List<String> problems) {
            this.patterns = patterns;
            this.problems = problems;
        }

        String expand(String text, Deque<String> stack) {
            StringBuilder out = new StringBuilder(text.length() + 16);
            int i = 0;
            int n = text.length();
            boolean inClass = false;
            while (i < n) {
                char c = text.charAt(i);
                if (c == '\\') {
                    out.append(text, i, Math.min(i + 2, n));
                    i += 2;
                    continue;
                }
                if (inClass) {
                    if (c == '[' && i + 1 < n && text.charAt(i + 1) == ':') {
                        int close = text.indexOf(":]", i + 2);
                        if (close > 0) {
                            out.append(text, i, close + 2);
                            i = close + 2;
                            continue;
                        }
                    }
                    if (c == ']') {
                        inClass = false;
                    }
                    out.append(c);
                    i++;
                    continue;
                }
                if (c == '[') {
                    inClass = true;
                    out.append(c);
                    i++;
                    if (i < n && text.charAt(i) == '^') {
                        out.append('^');
                        i++;
                    }
                    if (i < n && text.charAt(i) == ']') {
                        out.append(']'); // a ']' first in a class is a member
                        i++;
                    }
                    continue;
                }
                if (c == '%' && i + 1 < n && text.charAt(i + 1) == '{') {
                    int close = text.indexOf('}', i + 2);
                    if (close < 0) {
                        problems.add("an unclosed %{ in '" + text + "'");
                        out.append(text, i, n);
                        break;
                    }
                    out.append(reference(text.substring(i + 2, close), stack));
                    i = close + 1;
                    continue;
                }
                if (c == '(' && text.startsWith("(?>", i)) {
                    out.append("(?:"); // RE2 has no atomic groups
                    i += 3;
                    continue;
                }
                if (c == '(' && (text.startsWith("(?<", i) || text.startsWith("(?P<", i))) {
                    int nameStart = text.indexOf('<', i) + 1;
                    char first = nameStart < n ? text.charAt(nameStart) : '=';
                    if (first != '=' && first != '!') {
                        int nameEnd = text.indexOf('>', nameStart);
                        if (nameEnd > nameStart) {
                            out.append("(?P<")
                                    .append(capture(text.substring(nameStart, nameEnd), null))
                                    .append('>');
                            i = nameEnd + 1;
                            continue;
                        }
                    }
                }
                out.append(c);
                i++;
            }
            return out.toString();
        }

        /** {@code NAME}, {@code NAME:field} or {@code NAME:field:type}, between {@code %{} and {@code }}. */
        private String reference(String inside, Deque<String> stack) {
            String[] parts = inside.split(":", 3);
            String name = parts[0].strip();
            String field = parts.length > 1 ? parts[1].strip() : null;
            String type = parts.length > 2 ? parts[2].strip() : null;
            String definition = patterns.get(name);
            if (definition == null) {
                problems.add("unknown grok pattern '" + name + "'");
                return "";
            }
            if (stack.contains(name) || stack.size() >= MAX_DEPTH) {
                problems.add("grok pattern '" + name + "' refers to itself (" + String.join(" > ", stack) + " > " + name
                        + ")");
                return "";
            }
            FieldType fieldType = null;
            if (type != null) {
                fieldType = switch (type.toLowerCase(java.util.Locale.ROOT)) {
                    case "int", "long" -> FieldType.LONG;
                    case "float", "double" -> FieldType.DOUBLE;
                    default -> {
                        problems.add("unknown grok type '" + type + "' in %{" + inside + "} (int or float)");
                        yield null;
                    }
                };
            }
            stack.push(name);
            String body = expand(definition, stack);
            stack.pop();
            if (field == null || field.isEmpty()) {
                return "(?:" + body + ")";
            }
            return "(?P<" + capture(field, fieldType) + ">" + body + ")";
        }

        private String capture(String field, FieldType type) {
            String group = "g" + (++groups);
            fields.computeIfAbsent(field, f -> new ArrayList<>()).add(group);
            if (type != null) {
                types.put(field, type);
            }
            return group;
        }
    }
}
