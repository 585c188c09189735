package dev.mapreduce.deploy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorStreamFactory;
import org.yaml.snakeyaml.Yaml;

/**
 * An image tarball as {@code docker save} and Jib's {@code buildTar} write it: manifest.json names
 * the config and the layers (each a tar, gzipped or not). Read without a Docker engine.
 *
 * @param repoTags the names the image is loaded under
 * @param config the image configuration's {@code config} object: User, Entrypoint, ExposedPorts, Labels, Env
 * @param files every regular file of the image's file system (the last layer's wins), by absolute path,
 *     with its content when it is small (up to 64 KiB) or a jar, else empty
 */
record ImageTar(List<String> repoTags, Map<String, Object> config, Map<String, byte[]> files) {

    private static final int SMALL = 64 * 1024;

    static ImageTar read(Path tarball) {
        try {
            Map<String, byte[]> entries = new HashMap<>();
            try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
                for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                    if (e.isFile()) {
                        entries.put(e.getName(), tar.readAllBytes());
                    }
                }
            }
            Yaml json = new Yaml(); // JSON is YAML
            List<Map<String, Object>> manifest = json.load(text(entries, "manifest.json"));
            if (manifest.size() != 1) {
                throw new IllegalStateException(tarball + " holds " + manifest.size() + " images, not one");
            }
            Map<String, Object> image = manifest.get(0);
            Map<String, Object> config = json.load(text(entries, (String) image.get("Config")));
            @SuppressWarnings("unchecked")
            List<String> layers = (List<String>) image.get("Layers");
            Map<String, byte[]> files = new LinkedHashMap<>();
            for (String layer : layers) {
                readLayer(entries.get(layer), files);
            }
            @SuppressWarnings("unchecked")
            List<String> tags = (List<String>) image.getOrDefault("RepoTags", List.of());
            @SuppressWarnings("unchecked")
            Map<String, Object> containerConfig = (Map<String, Object>) config.getOrDefault("config", Map.of());
            return new ImageTar(tags, containerConfig, files);
        } catch (IOException e) {
            throw new UncheckedIOException(tarball.toString(), e);
        }
    }

    private static String text(Map<String, byte[]> entries, String name) {
        byte[] bytes = entries.get(name);
        if (bytes == null) {
            throw new IllegalStateException("the image tarball has no " + name);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void readLayer(byte[] layer, Map<String, byte[]> files) throws IOException {
        if (layer == null) {
            throw new IllegalStateException("the manifest names a layer the tarball does not hold");
        }
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(layer));
        try {
            in = new CompressorStreamFactory().createCompressorInputStream(in);
        } catch (org.apache.commons.compress.compressors.CompressorException notCompressed) {
            // an uncompressed layer tar
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    String path = "/" + e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                    boolean keep = e.getSize() <= SMALL || (path.startsWith("/app/") && path.endsWith(".jar"));
                    files.put(path, keep ? tar.readAllBytes() : new byte[0]);
                }
            }
        }
    }

    /** The file's content as text; fails when the image has no such file. */
    String fileText(String path) {
        byte[] bytes = files.get(path);
        if (bytes == null) {
            throw new AssertionError("the image has no file " + path);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the jar at {@code path} in the image holds {@code entry}. */
    boolean jarHolds(String path, String entry) {
        byte[] jar = files.get(path);
        if (jar == null) {
            return false;
        }
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals(entry)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }
}
