package dev.mapreduce.runtime.testing;

import static org.awaitility.Awaitility.await;

import dev.mapreduce.runtime.s3.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One real S3-compatible server per test JVM: S3Proxy (org.gaul:s3proxy, its Maven Central jar
 * with dependencies, which the build copies to {@code target/s3proxy/s3proxy.jar}) with its
 * in-memory backend, in its own process on a free local port, checking AWS signatures against one
 * access key. Started on first use, stopped when the JVM exits.
 */
public final class TestS3 {

    public static final String ACCESS_KEY = "mapreduce-test";
    public static final String SECRET_KEY = "mapreduce-test-secret";

    /** The port is chosen up front, so a service under test can be given the URL before the server runs. */
    private static final String ENDPOINT = "http://127.0.0.1:" + freePort();

    private static boolean started;

    private TestS3() {}

    /** Settings that reach the server with its key, path-style; the server started. */
    public static S3Settings settings() {
        return new S3Settings(started(), "us-east-1", true, ACCESS_KEY, SECRET_KEY);
    }

    /**
     * The server's URL, without starting it: for a service's settings, bound when it starts, while
     * the server starts only when a test first uses it ({@link #settings}, {@link #client}).
     */
    public static String endpoint() {
        return ENDPOINT;
    }

    /** The server's URL, starting it if needed. */
    public static synchronized String started() {
        if (!started) {
            start(ENDPOINT);
            started = true;
        }
        return ENDPOINT;
    }

    /** A client of the server, for tests to create buckets and upload objects. */
    public static S3Client client() {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(URI.create(started()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Creates {@code bucket} and uploads {@code files} into it under {@code prefix} + their file names. */
    public static void upload(String bucket, String prefix, List<Path> files) {
        try (S3Client s3 = client()) {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
            for (Path file : files) {
                s3.putObject(b -> b.bucket(bucket).key(prefix + file.getFileName()), RequestBody.fromFile(file));
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void start(String url) {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath()
                    + " is missing: the build's pre-integration-test phase copies org.gaul:s3proxy there");
        }
        try {
            Path dir = Files.createTempDirectory("test-s3");
            Path conf = Files.writeString(
                    dir.resolve("s3proxy.conf"),
                    String.join(
                            "\n",
                            "s3proxy.endpoint=" + url,
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=transient",
                            "jclouds.identity=" + ACCESS_KEY,
                            "jclouds.credential=" + SECRET_KEY,
                            ""));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder(
                            java.toString(), "-Xmx256m", "-jar", jar.toString(), "--properties", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "test-s3-stop"));
            await("S3Proxy listening on " + url + " (log: " + dir.resolve("s3proxy.log") + ")")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .failFast("S3Proxy exited", () -> !process.isAlive())
                    .until(() -> answers(url));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any HTTP answer (an unsigned request gets 403) means the server is up. */
    private static boolean answers(String url) throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) URI.create(url).toURL().openConnection();
        try {
            return connection.getResponseCode() > 0;
        } finally {
            connection.disconnect();
        }
    }
}
