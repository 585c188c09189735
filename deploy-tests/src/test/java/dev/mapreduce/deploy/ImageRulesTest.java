package dev.mapreduce.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.deploy.ImageRules.Expected;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImageRules on image tarballs written here, shaped as Jib writes them: a good one, then one fault each. */
class ImageRulesTest {

    private static final Expected EXPECTED =
            new Expected("mapreduce/map-worker:1.2.3", "1.2.3", 8081, "dev.mapreduce.mapworker.MapWorkerApplication");

    private static final String GOOD_CONFIG =
            """
            {"architecture":"amd64","os":"linux","config":{
              "Env":["BIND_ADDRESS=0.0.0.0"],
              "Entrypoint":["java","-XX:MaxRAMPercentage=75.0","-cp","@/app/jib-classpath-file",
                            "dev.mapreduce.mapworker.MapWorkerApplication"],
              "ExposedPorts":{"8081/tcp":{}},
              "Labels":{"org.opencontainers.image.title":"map-worker",
                        "org.opencontainers.image.source":"https://example.org/mapreduce",
                        "org.opencontainers.image.version":"1.2.3",
                        "org.opencontainers.image.licenses":"Apache-2.0"},
              "User":"65532:65532"}}
            """;

    @TempDir
    Path dir;

    @Test
    void anImageAsJibBuildsItPasses() throws IOException {
        assertThat(ImageRules.problems(image(c -> c, true), EXPECTED)).isEmpty();
    }

    @Test
    void anImageRunningAsRootFails() throws IOException {
        assertThat(ImageRules.problems(image(c -> c.replace("65532:65532", "0"), true), EXPECTED))
                .containsExactly("runs as root (User '0')");
        assertThat(ImageRules.problems(
                        image(c -> c.replace("\"User\":\"65532:65532\"", "\"User\":\"\""), true), EXPECTED))
                .containsExactly("runs as root (User '')");
        assertThat(ImageRules.problems(image(c -> c.replace("65532:65532", "root"), true), EXPECTED))
                .containsExactly("runs as root (User 'root')");
    }

    @Test
    void anImageStartingSomethingElseFails() throws IOException {
        assertThat(ImageRules.problems(image(c -> c.replace("\"java\",", "\"sh\",\"-c\","), true), EXPECTED))
                .singleElement()
                .asString()
                .startsWith("entrypoint does not start java");
        assertThat(ImageRules.problems(
                        image(c -> c.replace("mapworker.MapWorkerApplication", "Other"), true), EXPECTED))
                .singleElement()
                .asString()
                .startsWith("entrypoint does not run dev.mapreduce.mapworker.MapWorkerApplication");
    }

    @Test
    void anImageExposingAnotherPortFails() throws IOException {
        assertThat(ImageRules.problems(image(c -> c.replace("8081/tcp", "8080/tcp"), true), EXPECTED))
                .containsExactly("exposes [8080/tcp], not 8081/tcp");
    }

    @Test
    void anImageWithoutALabelOrWithAnotherVersionFails() throws IOException {
        assertThat(ImageRules.problems(
                        image(c -> c.replace("\"org.opencontainers.image.source\"", "\"source\""), true), EXPECTED))
                .containsExactly("has no label org.opencontainers.image.source");
        assertThat(ImageRules.problems(image(c -> c.replace("\"1.2.3\"", "\"1.2.4\""), true), EXPECTED))
                .containsExactly("is labelled version 1.2.4, not 1.2.3");
    }

    @Test
    void anImageUnderAnotherNameFails() throws IOException {
        Expected other = new Expected("mapreduce/map-worker:2.0.0", "1.2.3", 8081, EXPECTED.mainClass());
        assertThat(ImageRules.problems(image(c -> c, true), other))
                .containsExactly("is tagged [mapreduce/map-worker:1.2.3], not mapreduce/map-worker:2.0.0");
    }

    @Test
    void anImageWithoutTheHealthProbeFails() throws IOException {
        assertThat(ImageRules.problems(image(c -> c, false), EXPECTED))
                .containsExactly("has no jar on its classpath that holds " + HealthProbeClass.NAME);
    }

    /** A tarball as Jib's buildTar writes it, with the config edited, and the probe in a jar or not. */
    private ImageTar image(UnaryOperator<String> config, boolean withProbe) throws IOException {
        Map<String, byte[]> layer = new LinkedHashMap<>();
        layer.put("app/jib-classpath-file", "/app/classes:/app/libs/a.jar:/app/libs/runtime.jar".getBytes());
        layer.put("app/libs/a.jar", jar("a/A.class"));
        layer.put(
                "app/libs/runtime.jar",
                jar(withProbe ? HealthProbeClass.entry() : "dev/mapreduce/runtime/Other.class"));
        Map<String, byte[]> image = new LinkedHashMap<>();
        image.put("layer.tar.gz", gzip(tar(layer)));
        image.put("config.json", config.apply(GOOD_CONFIG).getBytes(StandardCharsets.UTF_8));
        image.put(
                "manifest.json",
                "[{\"Config\":\"config.json\",\"RepoTags\":[\"mapreduce/map-worker:1.2.3\"],\"Layers\":[\"layer.tar.gz\"]}]"
                        .getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("jib-image.tar");
        Files.write(file, tar(image));
        return ImageTar.read(file);
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] jar(String entry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }
}
