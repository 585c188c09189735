package dev.mapreduce.engine.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PathTreeTest {

    @Test
    void findsEachNameAndNothingElseWhateverBucketsTheNamesShare() {
        SplittableRandom random = new SplittableRandom(14);
        for (int round = 0; round < 50; round++) {
            PathTree tree = new PathTree();
            Map<String, Integer> entries = new LinkedHashMap<>();
            int count = 1 + random.nextInt(120); // up to twice the buckets: many are shared
            for (int i = 0; i < count; i++) {
                String name = name(random);
                tree.add(name, i, false);
                entries.putIfAbsent(name, entries.size());
            }
            // with and without 8 bytes after the name's start (a name is compared 8 bytes at a time where it can be)
            for (String after : new String[] {"\"", "\":\"a value\"}"}) {
                entries.forEach((name, entry) -> assertThat(find(tree, "{\"" + name + after, 2, name))
                        .as(name)
                        .isEqualTo(entry));
                for (int i = 0; i < 500; i++) {
                    String other = name(random);
                    assertThat(find(tree, "x" + other + after, 1, other))
                            .as(other)
                            .isEqualTo(entries.getOrDefault(other, -1));
                }
            }
        }
    }

    @Test
    void namesOfTheSameLengthAndFirstByteAreToldApart() {
        PathTree tree = new PathTree();
        tree.add("service", 0, false);
        tree.add("session", 1, false);
        tree.add("", 2, false);
        assertThat(find(tree, "session", 0, "session")).isEqualTo(1);
        assertThat(find(tree, "service", 0, "service")).isEqualTo(0);
        assertThat(find(tree, "servics", 0, "servics")).isEqualTo(-1);
        assertThat(find(tree, "", 0, "")).isEqualTo(2);
        assertThat(tree.slot(1)).isEqualTo(1);
    }

    /** Finds {@code name}, which {@code text} holds at {@code at}, where it is in {@code text}. */
    private static int find(PathTree tree, String text, int at, String name) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int start = prefixBytes(text, at);
        return tree.find(b, start, start + name.getBytes(StandardCharsets.UTF_8).length);
    }

    private static int prefixBytes(String text, int chars) {
        return text.substring(0, chars).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String name(SplittableRandom random) {
        int len = random.nextInt(12);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len; i++) {
            int c = random.nextInt(8);
            s.append(c < 6 ? (char) ('a' + random.nextInt(4)) : c == 6 ? 'é' : '_');
        }
        return s.toString();
    }
}
