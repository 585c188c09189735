package dev.mapreduce.coordinator;

import dev.mapreduce.runtime.testing.TestDatabase;
import dev.mapreduce.runtime.testing.TestKafka;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A coordinator on a random port against the test Kafka broker, a fresh database and the local Redis. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
abstract class CoordinatorTestBase {

    static final String DATABASE = TestDatabase.create("coordinator");

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.kafka.bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
        // scripted workers send no heartbeats
        registry.add("mapreduce.scheduler.worker-timeout", () -> "120s");
        registry.add("mapreduce.scheduler.speculation.enabled", () -> "false");
        registry.add("mapreduce.scheduler.retry-backoff", () -> "100ms");
    }
}
