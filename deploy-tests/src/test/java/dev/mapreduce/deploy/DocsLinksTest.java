package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README is a short front door, and every relative link of the README and of docs/ leads somewhere: the file or
 * folder exists, and an anchor names a heading of the target page, as GitHub spells heading anchors.
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    static List<String> pages() throws IOException {
        List<String> pages = new ArrayList<>(List.of("README.md"));
        for (String folder : List.of("docs", "examples")) {
            Path dir = Repository.file(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.filter(f -> f.toString().endsWith(".md"))
                            .map(f -> Repository.ROOT.relativize(f).toString())
                            .sorted()
                            .forEach(pages::add);
                }
            }
        }
        return pages;
    }

    @Test
    void theReadmeIsAFrontDoorOfAtMostTwelveKilobytes() throws IOException {
        assertThat(Files.size(Repository.file("README.md"))).isLessThanOrEqualTo(12 * 1024);
    }

    @ParameterizedTest
    @MethodSource("pages")
    void everyRelativeLinkAndAnchorResolves(String page) throws IOException {
        Path file = Repository.file(page);
        List<String> broken = new ArrayList<>();
        for (String target : links(Files.readString(file))) {
            if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue; // http:, https:, mailto:
            }
            int hash = target.indexOf('#');
            String path = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? null : target.substring(hash + 1);
            Path resolved =
                    path.isEmpty() ? file : file.getParent().resolve(path).normalize();
            if (!resolved.startsWith(Repository.ROOT) || !Files.exists(resolved)) {
                broken.add(target + " (no such file)");
            } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                broken.add(target + " (no such heading in " + Repository.ROOT.relativize(resolved) + ")");
            }
        }
        assertThat(broken).as("broken links in %s", page).isEmpty();
    }

    @Test
    void anchorsAreSpelledAsGitHubSpellsThem() {
        assertThat(slug("Jobs on the cluster: `./mr submit`, `status`, `list`, `results`, …"))
                .isEqualTo("jobs-on-the-cluster-mr-submit-status-list-results-");
        assertThat(slug("The engine (`common/`, no Spring)")).isEqualTo("the-engine-common-no-spring");
        assertThat(slug("`apache_common`, `apache_combined` (nginx's default)"))
                .isEqualTo("apache_common-apache_combined-nginxs-default");
    }

    /** Link targets outside code blocks and inline code. */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean fence = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fence = !fence;
                continue;
            }
            if (fence) {
                continue;
            }
            Matcher m = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** The heading anchors of a Markdown page (none for other files); repeated headings get -1, -2, …. */
    static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new HashSet<>();
        if (!file.toString().endsWith(".md") || Files.isDirectory(file)) {
            return anchors;
        }
        Map<String, Integer> seen = new HashMap<>();
        boolean fence = false;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("```")) {
                fence = !fence;
            }
            Matcher m = HEADING.matcher(line);
            if (!fence && m.matches()) {
                String slug = slug(m.group(1));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, _ and - stay), spaces to dashes. */
    static String slug(String heading) {
        return heading.strip()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                .replace(' ', '-');
    }
}
