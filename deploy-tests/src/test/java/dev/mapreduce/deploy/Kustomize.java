package dev.mapreduce.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a kustomization the way {@code kubectl apply -k} would, with {@code kubectl kustomize} (no
 * cluster needed; {@code -Dkubectl=PATH} names another binary). Kustomize has no Java implementation.
 */
final class Kustomize {

    private static final String KUBECTL = System.getProperty("kubectl", "kubectl");

    private Kustomize() {}

    static String render(String directory) {
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process process = new ProcessBuilder(
                                KUBECTL, "kustomize", Repository.file(directory).toString())
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
