package dev.mapreduce.reduceworker;

import dev.mapreduce.runtime.testing.TestDatabase;
import dev.mapreduce.runtime.testing.TestKafka;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One reduce worker, started once and shared by every integration test (the same configuration
 * means the same cached context, so there is exactly one worker in the share group), wired to the
 * embedded Kafka broker, the local Redis and a fresh PostgreSQL database with the coordinator's schema.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
abstract class RunningReduceWorker {

    static final String WORKER_ID = "reduce-it";
    static final String REDIS_URL = "redis://127.0.0.1:6379";

    private static String databaseUrl;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.kafka-bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("mapreduce.redis-url", () -> REDIS_URL);
        registry.add("mapreduce.worker-id", () -> WORKER_ID);
        registry.add("spring.datasource.url", RunningReduceWorker::database);
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    }

    private static synchronized String database() {
        if (databaseUrl == null) {
            databaseUrl = TestDatabase.create("reduce");
        }
        return databaseUrl;
    }
}
