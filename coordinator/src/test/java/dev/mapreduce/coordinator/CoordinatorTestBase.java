package dev.mapreduce.coordinator;

import dev.mapreduce.runtime.testing.TestDatabase;
import dev.mapreduce.runtime.testing.TestKafka;
import dev.mapreduce.runtime.testing.TestS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.resttestclient.autoconfigure.RestTestClientBuilderCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A coordinator on a random port against the test Kafka broker, a fresh database and the local Redis,
 * with internal authentication on: the test client sends the service token as the gateway does.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import(CoordinatorTestBase.ServiceToken.class)
abstract class CoordinatorTestBase {

    /** The shared secret of the internal API in these tests. */
    static final String SERVICE_TOKEN = "test-service-token-0123456789";

    @TestConfiguration(proxyBeanMethods = false)
    static class ServiceToken {
        @Bean
        RestTestClientBuilderCustomizer serviceToken() {
            return builder -> builder.defaultHeader("Authorization", "Bearer " + SERVICE_TOKEN);
        }
    }

    static final String DATABASE = TestDatabase.create("coordinator");

    /** The input root of file jobs, with splits of at most 1 KiB so small files are cut too. */
    static final Path INPUT_ROOT = inputRoot();

    static final int SPLIT_SIZE = 1024;

    /** How long the leader keeps a running job's shuffle runs from each renewal (every quarter of it). */
    static final Duration SHUFFLE_TTL = Duration.ofSeconds(6);

    /** Attempts of one type a job may have in flight. */
    static final int JOB_LIMIT = 4;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("mapreduce.internal.token", () -> SERVICE_TOKEN);
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
        // scripted workers send no heartbeats
        registry.add("mapreduce.scheduler.worker-timeout", () -> "120s");
        registry.add("mapreduce.scheduler.speculation.enabled", () -> "false");
        registry.add("mapreduce.scheduler.retry-backoff", () -> "100ms");
        // scripted workers send no heartbeats, so fixed limits; the tests' jobs that never end stay in flight
        registry.add("mapreduce.scheduler.dispatch.job-limit", () -> JOB_LIMIT);
        registry.add("mapreduce.scheduler.dispatch.max-in-flight", () -> "500");
        registry.add("mapreduce.redis.shuffle-ttl", SHUFFLE_TTL::toString);
        registry.add("mapreduce.coordinator.input.root", INPUT_ROOT::toString);
        registry.add("mapreduce.coordinator.input.split-size", () -> SPLIT_SIZE + "B");
        // s3:// inputs: the test S3 server, started only by the tests that use it
        registry.add("mapreduce.s3.endpoint", TestS3::endpoint);
        registry.add("mapreduce.s3.region", () -> "us-east-1");
        registry.add("mapreduce.s3.path-style", () -> "true");
        registry.add("mapreduce.s3.access-key-id", () -> TestS3.ACCESS_KEY);
        registry.add("mapreduce.s3.secret-access-key", () -> TestS3.SECRET_KEY);
    }

    private static Path inputRoot() {
        try {
            Path root = Files.createTempDirectory("coordinator-input");
            root.toFile().deleteOnExit();
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
