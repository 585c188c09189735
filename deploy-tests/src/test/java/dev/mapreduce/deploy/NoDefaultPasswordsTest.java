package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No password, token or secret has a literal default anywhere a stack is started from: the compose
 * file, the Kubernetes manifests, {@code setup.sh}, the local stack's and monitoring's files, and the
 * services' configuration. Compose requires each from {@code .env} ({@code ${VAR:?...}}), which
 * {@code setup.sh} fills with random values; the services read them with an empty default.
 */
class NoDefaultPasswordsTest {

    private static final String SECRET = "[A-Za-z0-9_]*(?:PASSWORD|PASSWD|_PASS|SECRET|TOKEN|CLI_AUTH)[A-Za-z0-9_]*";

    /** What gives a secret a value nobody chose: a default in a placeholder, or a well-known literal. */
    private static final List<Pattern> DEFAULTS = List.of(
            // Compose and shell: ${POSTGRES_PASSWORD:-mapreduce}, ${GRAFANA_ADMIN_PASSWORD-admin}; a default that
            // is itself read from somewhere (${TOKEN:-$(cat .local/token)}) is no literal
            Pattern.compile("\\$\\{" + SECRET + ":?-[^$}][^}]*}", Pattern.CASE_INSENSITIVE),
            // Spring: ${POSTGRES_PASSWORD:mapreduce} (an empty default is fine: nothing is set then)
            Pattern.compile("\\$\\{" + SECRET + ":[^-?}][^}]*}", Pattern.CASE_INSENSITIVE),
            // a well-known value written out: POSTGRES_PASSWORD: mapreduce, password=admin, - X_PASSWORD=postgres
            Pattern.compile(
                    "(?:password|passwd|_pass|secret)[\"']?\\s*[:=]\\s*[\"']?(?:mapreduce|admin|postgres|password|secret"
                            + "|changeme|guest|root)[\"']?\\s*(?:$|[,#])",
                    Pattern.CASE_INSENSITIVE),
            // a value written out in a list item: a kustomize secretGenerator's or Compose's literals,
            // - POSTGRES_PASSWORD=dev-only-postgres-password (a Secret's values come from a file outside git)
            Pattern.compile("^\\s*-\\s*" + SECRET + "=(?!\\$)\\S+", Pattern.CASE_INSENSITIVE),
            // user/password pairs as docs and comments give them
            Pattern.compile("\\b(?:admin/admin|postgres/mapreduce|postgres/postgres)\\b"),
            Pattern.compile(":-admin}"));

    @Test
    void theDetectorFindsTheDefaultsThisRepositoryOnceHad() {
        assertThat(findings("POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-mapreduce}"))
                .isNotEmpty();
        assertThat(findings("GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ADMIN_PASSWORD:-admin}"))
                .isNotEmpty();
        assertThat(findings("DATA_SOURCE_PASS: ${POSTGRES_PASSWORD:-mapreduce}"))
                .isNotEmpty();
        assertThat(findings("      - POSTGRES_PASSWORD=mapreduce")).isNotEmpty();
        assertThat(findings("    password: ${POSTGRES_PASSWORD:mapreduce}")).isNotEmpty();
        assertThat(findings("# Grafana admin/admin")).isNotEmpty();
        assertThat(findings("  REDIS_PASSWORD: \"secret\"")).isNotEmpty();
        assertThat(findings("      - POSTGRES_PASSWORD=dev-only-postgres-password"))
                .isNotEmpty();
        assertThat(findings("      - MAPREDUCE_INTERNAL_TOKEN=dev-only-internal-token-0123456789abcdef"))
                .isNotEmpty();

        assertThat(findings("POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"))
                .isEmpty();
        assertThat(findings("    password: ${POSTGRES_PASSWORD:}")).isEmpty();
        assertThat(findings("    token: ${MAPREDUCE_INTERNAL_TOKEN:}")).isEmpty();
        assertThat(findings("  POSTGRES_USER: \"postgres\"")).isEmpty();
        assertThat(findings("      GF_SECURITY_ADMIN_USER: admin")).isEmpty();
        assertThat(findings("PG_DATABASE=\"${PG_DATABASE:-mapreduce}\"")).isEmpty();
        assertThat(findings("token=\"${MAPREDUCE_INTERNAL_TOKEN:-$(cat \"$LOCAL/internal-token\")}\""))
                .isEmpty();
        assertThat(findings("    auth: ${MAPREDUCE_INTERNAL_AUTH:on}")).isEmpty();
        assertThat(findings("      - POSTGRES_PASSWORD=${POSTGRES_PASSWORD:?set it in .env}"))
                .isEmpty();
    }

    @Test
    void noFileAStackStartsFromGivesASecretADefault() {
        List<String> found = new ArrayList<>();
        for (Path file : scanned()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < lines.size(); i++) {
                for (String hit : findings(lines.get(i))) {
                    found.add(Repository.ROOT.relativize(file) + ":" + (i + 1) + ": " + hit);
                }
            }
        }
        assertThat(scanned())
                .as("the files scanned")
                .contains(
                        Repository.file("docker-compose.yml"),
                        Repository.file("setup.sh"),
                        Repository.file("deploy/k8s/base/config.yaml"),
                        Repository.file("coordinator/src/main/resources/application.yml"));
        assertThat(found).as("literal default passwords").isEmpty();
    }

    static List<String> findings(String line) {
        List<String> hits = new ArrayList<>();
        for (Pattern pattern : DEFAULTS) {
            var matcher = pattern.matcher(line);
            while (matcher.find()) {
                hits.add(matcher.group());
            }
        }
        return hits;
    }

    /** The compose file, setup.sh, every file under deploy/, local-stack/ and monitoring/, the services' configuration. */
    static List<Path> scanned() {
        List<Path> files = new ArrayList<>(List.of(Repository.file("docker-compose.yml"), Repository.file("setup.sh")));
        for (String folder : List.of("deploy", "local-stack", "monitoring")) {
            files.addAll(walk(Repository.file(folder), p -> true));
        }
        for (String module : Repository.modules()) {
            files.addAll(walk(
                    Repository.file(module + "/src/main/resources"),
                    p -> p.getFileName().toString().matches("application.*\\.(yml|yaml|properties)")));
        }
        return files;
    }

    private static List<Path> walk(Path folder, Predicate<Path> keep) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/target/"))
                    .filter(keep)
                    .filter(NoDefaultPasswordsTest::isText)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isText(Path file) {
        String name = file.getFileName().toString();
        return !name.endsWith(".png") && !name.endsWith(".jar") && !name.endsWith(".gz");
    }
}
