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
    /** The local Redis, or {@code REDIS_URL}'s (e.g. a logical database of its own). */
    static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

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

    /** Reduce partitions of a job from {@link #insertJob}. */
    static final int PARTITIONS = 2;

    /** Attempts of each reduce task of a job from {@link #insertJob} that the coordinator records as live. */
    static final int LIVE_ATTEMPTS = 3;

    /**
     * Records a job in the state the coordinator leaves it in while its reduce tasks run: its reduce
     * tasks running, each with attempts 1 to {@value #LIVE_ATTEMPTS} live (queued), as retries and
     * speculation leave them, so that any of them may commit.
     */
    UUID insertJob(UUID jobId) {
        jdbc.sql(
                        """
                        INSERT INTO jobs (job_id, job_name, status, input_topic, num_mappers, num_reducers,
                                          map_function, reduce_function)
                        VALUES (?, 'reduce-it', 'REDUCE_RUNNING', 'input', 1, ?, 'WORD_COUNT', 'SUM')
                        """)
                .param(jobId)
                .param(PARTITIONS)
                .update();
        jdbc.sql(
                        """
                        INSERT INTO tasks (job_id, task_type, task_index, status, current_attempt)
                        SELECT ?, 'REDUCE', p, 'RUNNING', ? FROM generate_series(0, ? - 1) p
                        """)
                .param(jobId)
                .param(LIVE_ATTEMPTS)
                .param(PARTITIONS)
                .update();
        jdbc.sql(
                        """
                        INSERT INTO task_attempts (job_id, task_type, task_index, attempt, status, dispatched_at)
                        SELECT ?, 'REDUCE', p, a, 'QUEUED', now()
                        FROM generate_series(0, ? - 1) p, generate_series(1, ?) a
                        """)
                .param(jobId)
                .param(PARTITIONS)
                .param(LIVE_ATTEMPTS)
                .update();
        return jobId;
    }

    /** Ends an attempt as the coordinator does when it gives up on it (its worker was declared dead). */
    void killAttempt(UUID jobId, int partition, int attempt) {
        jdbc.sql(
                        """
                        UPDATE task_attempts SET status = 'KILLED', finished_at = now(), error = 'worker lost'
                        WHERE job_id = ? AND task_type = 'REDUCE' AND task_index = ? AND attempt = ?
                        """)
                .param(jobId)
                .param(partition)
                .param(attempt)
                .update();
    }

    void setJobStatus(UUID jobId, String status) {
        jdbc.sql("UPDATE jobs SET status = ? WHERE job_id = ?")
                .param(status)
                .param(jobId)
                .update();
    }

    static synchronized String database() {
        if (databaseUrl == null) {
            databaseUrl = TestDatabase.create("reduce");
        }
        return databaseUrl;
    }
}
