package dev.mapreduce.mapworker;

import dev.mapreduce.runtime.testing.TestKafka;
import dev.mapreduce.runtime.testing.TestS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One map worker, started once and shared by every integration test (the same configuration
 * means the same cached context, so there is exactly one worker in the share group), wired to the
 * embedded Kafka broker and the local Redis, with a sort buffer of 1 MB.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
abstract class RunningMapWorker {

    static final String WORKER_ID = "map-it";
    /** The local Redis, or {@code REDIS_URL}'s (e.g. a logical database of its own). */
    static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

    /** The worker's input root, for tests of file splits; emptied by them. */
    static final Path INPUT_ROOT = temporaryFolder("map-worker-input");

    /** Where the worker spills: its tasks' files go in {@code mapreduce-map-it} under it. */
    static final Path SPILL_DIRECTORY = temporaryFolder("map-worker-spills");

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.kafka-bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("mapreduce.redis-url", () -> REDIS_URL);
        registry.add("mapreduce.worker-id", () -> WORKER_ID);
        registry.add("mapreduce.kafka-stall-timeout", () -> "10s");
        // a stall is an outage: shorter than the stall, so an input that never comes fails at its first stall
        registry.add("mapreduce.outage-wait", () -> "5s");
        registry.add("mapreduce.input-root", INPUT_ROOT::toString);
        // the smallest sort buffer, so that a task of a few MB of output spills
        registry.add("mapreduce.sort-buffer", () -> "1MB");
        registry.add("mapreduce.spill-directory", SPILL_DIRECTORY::toString);
        // s3:// splits: the test S3 server, started only by the tests that use it
        registry.add("mapreduce.s3.endpoint", TestS3::endpoint);
        registry.add("mapreduce.s3.region", () -> "us-east-1");
        registry.add("mapreduce.s3.path-style", () -> "true");
        registry.add("mapreduce.s3.access-key-id", () -> TestS3.ACCESS_KEY);
        registry.add("mapreduce.s3.secret-access-key", () -> TestS3.SECRET_KEY);
    }

    private static Path temporaryFolder(String prefix) {
        try {
            Path root = Files.createTempDirectory(prefix);
            root.toFile().deleteOnExit();
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
