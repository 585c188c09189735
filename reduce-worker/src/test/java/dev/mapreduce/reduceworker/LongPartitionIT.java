package dev.mapreduce.reduceworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.ShuffleKeys;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Partitions whose runs are many times the worker's 1 MB fetch buffer: they are merged streaming,
 * a window at a time, into exact results; a run found damaged or gone only after rows were
 * copied still commits nothing and is a fetch failure naming its map task.
 */
class LongPartitionIT extends RunningReduceWorker {

    /** Keys per map run: about 1.5 MB encoded, so each run is stored in chunks and read in windows. */
    private static final int KEYS = 100_000;

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redis;
    private final List<UUID> jobs = new ArrayList<>();

    @BeforeEach
    void connect() {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
        redisClient = RedisClient.create(REDIS_URL);
        redis = redisClient.connect();
    }

    @AfterEach
    void disconnect() {
        jobs.forEach(shuffle::deleteJob);
        events.close();
        coordinator.close();
        shuffle.close();
        redis.close();
        redisClient.shutdown();
    }

    @Test
    void runsManyTimesTheFetchBufferAreMergedIntoExactResults() {
        UUID jobId = newJob();
        // map 0 has keys 0 .. KEYS-1 with value 1, map 1 keys KEYS/2 .. 3*KEYS/2-1 with value 2
        writeRun(jobId, new MapRunRef(0, 1), 0, KEYS, 1);
        writeRun(jobId, new MapRunRef(1, 1), KEYS / 2, KEYS, 2);
        assertThat(redis.sync().exists(ShuffleKeys.chunk(jobId, 0, 1, 1, 1))).isOne();

        coordinator.send(reduceTask(jobId, List.of(new MapRunRef(0, 1), new MapRunRef(1, 1))));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.SUCCEEDED);
        TaskEvent succeeded = reported.get(reported.size() - 1);
        assertThat(succeeded.counters().reduceInputRecords()).isEqualTo(2L * KEYS);
        assertThat(succeeded.counters().outputRecords()).isEqualTo(3L * KEYS / 2);
        Map<String, Object> totals = jdbc.sql(
                        """
                        SELECT count(*) AS keys, sum(result_value) AS total,
                               count(*) FILTER (WHERE result_value = 3) AS shared
                          FROM results WHERE job_id = ?
                        """)
                .param(jobId)
                .query()
                .singleRow();
        assertThat(totals.get("keys")).isEqualTo(3L * KEYS / 2);
        assertThat((BigDecimal) totals.get("total")).isEqualByComparingTo(BigDecimal.valueOf(3L * KEYS));
        assertThat(totals.get("shared")).isEqualTo((long) KEYS / 2);
    }

    @Test
    void aRunDamagedPastWhatWasAlreadyCopiedIsAFetchFailureAndCommitsNothing() {
        UUID jobId = newJob();
        writeRun(jobId, new MapRunRef(0, 1), 0, KEYS, 1);
        writeRun(jobId, new MapRunRef(1, 3), 0, KEYS, 1);
        // the second chunk of map 1's run: its first 1 MiB streams, and is copied, before the damage
        redis.sync().setrange(ShuffleKeys.chunk(jobId, 0, 1, 3, 1), 1000, "#");

        coordinator.send(reduceTask(jobId, List.of(new MapRunRef(0, 1), new MapRunRef(1, 3))));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FETCH_FAILED);
        TaskEvent failed = reported.get(reported.size() - 1);
        assertThat(failed.lostMapTask()).isEqualTo(1);
        assertThat(failed.error())
                .startsWith("fetch failed: shuffle run of map task 1 is corrupt (")
                .contains("checksum");
        assertThat(rows(jobId)).isZero();
        assertThat(commits(jobId)).isZero();
    }

    @Test
    void aChunkGoneWhileItsRunIsMergedIsAFetchFailureAndCommitsNothing() {
        UUID jobId = newJob();
        writeRun(jobId, new MapRunRef(0, 2), 0, KEYS, 1);
        redis.sync().del(ShuffleKeys.chunk(jobId, 0, 0, 2, 1));

        coordinator.send(reduceTask(jobId, List.of(new MapRunRef(0, 2))));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FETCH_FAILED);
        TaskEvent failed = reported.get(reported.size() - 1);
        assertThat(failed.lostMapTask()).isZero();
        assertThat(failed.error())
                .startsWith("fetch failed: shuffle run of map task 0 is missing from Redis (")
                .endsWith(ShuffleKeys.chunk(jobId, 0, 0, 2, 1) + ", gone while being read)");
        assertThat(rows(jobId)).isZero();
        assertThat(commits(jobId)).isZero();
    }

    private UUID newJob() {
        UUID jobId = insertJob(UUID.randomUUID());
        jobs.add(jobId);
        return jobId;
    }

    /** Stores map {@code map}'s run of partition 0: keys {@code from .. from+count-1}, each with {@code value}. */
    private void writeRun(UUID jobId, MapRunRef map, int from, int count, long value) {
        RunWriter writer = new RunWriter(false);
        for (int i = from; i < from + count; i++) {
            byte[] key = key(i);
            writer.add(key, 0, key.length, value, 0);
        }
        shuffle.writeRuns(jobId, map.mapTask(), map.attempt(), new byte[][] {writer.finish()}, Duration.ofMinutes(10));
    }

    /** Keys in ascending byte order: a fixed-width number and a tail that defeats prefix compression. */
    private static byte[] key(int i) {
        return String.format("k%08d-%08x", i, Integer.reverse(i)).getBytes(StandardCharsets.UTF_8);
    }

    private long rows(UUID jobId) {
        return jdbc.sql("SELECT count(*) FROM results WHERE job_id = ?")
                .param(jobId)
                .query(Long.class)
                .single();
    }

    private long commits(UUID jobId) {
        return jdbc.sql("SELECT count(*) FROM reduce_commits WHERE job_id = ?")
                .param(jobId)
                .query(Long.class)
                .single();
    }

    private static TaskMessage reduceTask(UUID jobId, List<MapRunRef> mapRuns) {
        return new TaskMessage(
                jobId, TaskType.REDUCE, 0, 1, "WORD_COUNT", "SUM", Map.of(), true, 1, null, List.of(), mapRuns, null);
    }
}
