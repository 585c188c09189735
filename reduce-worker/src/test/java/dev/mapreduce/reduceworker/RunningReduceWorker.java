package dev.mapreduce.reduceworker;

import dev.mapreduce.runtime.testing.TestDatabase;
import dev.mapreduce.runtime.testing.TestKafka;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One reduce worker, started once and shared by every integration test (the same configuration
 * means the same cached context, so there is exactly one worker in the share group), wired to the
 * embedded Kafka broker, the local Redis and a fresh PostgreSQL database with the coordinator's schema,
 * with a fetch buffer of 1 MB.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
abstract class RunningReduceWorker {

    static final String WORKER_ID = "reduce-it";
    static final String REDIS_URL = "redis://127.0.0.1:6379";

    private static String databaseUrl;

    @Autowired
    JdbcClient jdbc;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("mapreduce.kafka-bootstrap-servers", TestKafka::bootstrapServers);
        registry.add("mapreduce.redis-url", () -> REDIS_URL);
        registry.add("mapreduce.worker-id", () -> WORKER_ID);
        // small, so that runs of a few hundred thousand keys stream in windows
        registry.add("mapreduce.fetch-buffer", () -> "1MB");
        registry.add("spring.datasource.url", RunningReduceWorker::database);
        registry.add("spring.datasource.username", () -> TestDatabase.USER);
        registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    }

    /** Records a job in the state the coordinator leaves it in while its reduce tasks run. */
    UUID insertJob(UUID jobId) {
        jdbc.sql(
                        """
                        INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers,
                                          map_function, reduce_function)
                        VALUES (?, 'reduce-it', 'REDUCE_RUNNING', 'input', 1, 2, 'WORD_COUNT', 'SUM')
                        """)
                .param(jobId)
                .update();
        return jobId;
    }

    void setJobStatus(UUID jobId, String status) {
        jdbc.sql("UPDATE jobs SET status = ? WHERE job_id = ?")
                .param(status)
                .param(jobId)
                .update();
    }

    private static synchronized String database() {
        if (databaseUrl == null) {
            databaseUrl = TestDatabase.create("reduce");
        }
        return databaseUrl;
    }
}
