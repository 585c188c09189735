package dev.mapreduce.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a kustomization the way {@code kubectl apply -k} would, with {@code kubectl kustomize} (no
 * cluster needed; {@code -Dkubectl=PATH} names another binary). Kustomize has no Java implementation.
 */
final class Kustomize {

    private static final String KUBECTL = System.getProperty("kubectl", "kubectl");

    private Kustomize() {}

    /**
     * An overlay whose Secret is generated from a file made outside git (its {@code make-secrets.sh}) is
     * rendered from a copy of {@code deploy/k8s} in which that script has made it, so that the test sees
     * what a user who followed the docs would apply, and never writes into the checkout.
     */
    static String render(String directory) {
        Path overlay = Repository.file(directory);
        if (!Files.exists(overlay.resolve("make-secrets.sh"))) {
            return render(overlay, directory);
        }
        Path k8s = Repository.file(KubernetesManifestsTest.K8S);
        try {
            Path copy = Files.createTempDirectory("k8s");
            try {
                copyTree(k8s, copy);
                Path copied = copy.resolve(k8s.relativize(overlay));
                Files.deleteIfExists(copied.resolve("secrets.env")); // one the developer made
                run(copied, List.of("bash", copied.resolve("make-secrets.sh").toString()));
                return render(copied, directory);
            } finally {
                deleteTree(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path directory, List<String> command) throws IOException {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(command + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String render(Path kustomization, String directory) {
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(KUBECTL, "kustomize", kustomization.toString())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("kubectl kustomize " + directory + " took more than 60 s");
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError("kubectl kustomize " + directory + " failed: "
                            + Files.readString(err, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            // the base, the overlays' patches and the components are still parsed and checked one by one
            Assumptions.abort("cannot run '" + KUBECTL + " kustomize' (" + e.getMessage()
                    + "): the overlays are rendered only where kubectl is installed (or -Dkubectl=PATH)");
            throw new AssertionError(e); // not reached
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The overlays: each folder of deploy/k8s/overlays. */
    static List<String> overlays() {
        try (var folders = Files.list(Repository.file(KubernetesManifestsTest.K8S + "/overlays"))) {
            return folders.filter(Files::isDirectory)
                    .map(p -> Repository.ROOT.relativize(p).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
