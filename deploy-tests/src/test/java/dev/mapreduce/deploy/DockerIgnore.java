package dev.mapreduce.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A build context's .dockerignore: a path is left out when the last rule matching it, or one of
 * the folders it is in, excludes it ({@code !pattern} rules include again), as BuildKit decides.
 */
final class DockerIgnore {

    private record Rule(boolean excludes, List<PathMatcher> matchers) {

        boolean matches(Path path) {
            return matchers.stream().anyMatch(m -> m.matches(path));
        }
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    static DockerIgnore of(String context) {
        Path file = Repository.file(context).resolve(".dockerignore");
        List<Rule> rules = new ArrayList<>();
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String pattern = line.strip();
                    if (pattern.isEmpty() || pattern.startsWith("#")) {
                        continue;
                    }
                    boolean excludes = !pattern.startsWith("!");
                    pattern = pattern.replaceFirst("^!", "").replaceAll("^/+|/+$", "");
                    List<PathMatcher> matchers = new ArrayList<>();
                    matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
                    if (pattern.startsWith("**/")) { // '**/' matches no folder at all too
                        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
                    }
                    rules.add(new Rule(excludes, matchers));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new DockerIgnore(rules);
    }

    /** Whether the build gets this path (relative to the context). */
    boolean includes(String relative) {
        Path path = Path.of(relative).normalize();
        boolean included = true;
        for (Rule rule : rules) {
            for (Path p = path; p != null; p = p.getParent()) {
                if (rule.matches(p)) {
                    included = !rule.excludes();
                    break;
                }
            }
        }
        return included;
    }
}
