package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.Cancellation;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.KafkaRangeReaders;
import dev.mapreduce.runtime.KafkaSetup;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.TaskMetrics;
import dev.mapreduce.runtime.TestFaults;
import dev.mapreduce.runtime.redis.RedisAuth;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.s3.S3Settings;
import dev.mapreduce.runtime.s3.S3Store;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import dev.mapreduce.runtime.testing.TestRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * A map attempt whose runs Redis will not store fails, saying why, instead of losing them (the
 * first write it is refused is the job's key index, before any run); one that Redis does not
 * answer for a while waits it out and succeeds. Runs
 * against a throwaway redis-server of its own (filled up, or made a read-only replica), never the
 * shared one.
 */
class RedisRefusingWritesIT {

    private static TestRedisServer redisServer;
    private static String redisUrl;

    private StatefulRedisConnection<String, String> admin;
    private RedisClient adminClient;
    private ShuffleStore shuffle;
    private KafkaMessages events;
    private KafkaRangeReaders inputReaders;
    private TaskEvents reported;
    private MapTaskHandler handler;

    @BeforeAll
    static void startThrowawayRedis() {
        assumeTrue(
                TestRedisServer.installed(),
                "redis-server is not installed: cannot start a throwaway Redis to fill up or make read-only");
        redisServer = TestRedisServer.withoutPassword(
                "--maxmemory-policy",
                "noeviction",
                // DEBUG SLEEP, to make it stop answering for a while (Redis 7 turns DEBUG off by default)
                "--enable-debug-command",
                "local");
        redisUrl = redisServer.url();
        try (var kafka = KafkaSetup.admin(TestKafka.bootstrapServers(), Duration.ofSeconds(10))) {
            KafkaSetup.ensureTopicsAndGroups(kafka, Duration.ofSeconds(10));
        }
    }

    @AfterAll
    static void stopThrowawayRedis() {
        if (redisServer != null) {
            redisServer.close();
        }
    }

    @BeforeEach
    void connect() {
        adminClient = RedisClient.create(redisUrl);
        admin = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(adminClient::connect, c -> true);
        admin.sync().flushall();
        shuffle = new RedisShuffleStore(redisUrl, Duration.ofSeconds(5));
        events = new KafkaMessages(TestKafka.bootstrapServers(), "redis-refusal", Duration.ofSeconds(10));
        reported = new TaskEvents(TestKafka.bootstrapServers());
        MapWorkerProperties properties = new MapWorkerProperties(
                TestKafka.bootstrapServers(),
                redisUrl,
                null,
                RedisAuth.NONE,
                "map-redis-refusal",
                Duration.ofMinutes(10),
                DataSize.ofMegabytes(4),
                null,
                Duration.ofSeconds(10),
                DataSize.ofMegabytes(8),
                DataSize.ofMegabytes(2),
                5_000,
                Duration.ofSeconds(1),
                1,
                "data",
                Duration.ofMinutes(2),
                TestFaults.NONE);
        inputReaders = new KafkaRangeReaders(TestKafka.bootstrapServers(), "map-redis-refusal-input");
        handler = new MapTaskHandler(
                properties,
                shuffle,
                inputReaders,
                events,
                new TaskMetrics(new SimpleMeterRegistry(), TaskType.MAP),
                new S3Store(S3Settings.defaults()));
    }

    @AfterEach
    void disconnect() {
        RedisCommands<String, String> redis = admin.sync();
        redis.replicaofNoOne();
        redis.configSet("maxmemory", "0");
        redis.flushall();
        admin.close();
        adminClient.shutdown();
        shuffle.close();
        inputReaders.close();
        events.close();
        reported.close();
    }

    @Test
    void aFullRedisFailsTheAttemptWithRedisOwnReason() {
        RedisCommands<String, String> redis = admin.sync();
        redis.configSet("maxmemory", "1mb");
        fillUp(redis);
        TaskMessage task = mapTask();

        handler.start(task);
        handler.run(task, new Cancellation());

        List<TaskEvent> events = reported.awaitEvent(task.jobId(), 0, 1, Kind.FAILED);
        assertThat(events).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.FAILED);
        // which write Redis refuses first (the index, or a run) depends on how much memory its clients' buffers hold
        // just then: a refused run is as refused as a refused index
        assertThat(events.get(1).error())
                .matches("ShuffleStoreException: Redis refused to (index the shuffle keys of job " + task.jobId()
                        + "|store mr:\\{" + task.jobId() + ".*)"
                        + ": OOM command not allowed when used memory > 'maxmemory'.*");
    }

    @Test
    void aReadOnlyRedisFailsTheAttemptWithRedisOwnReason() {
        admin.sync().replicaof("127.0.0.1", 1); // a master that is not there: the replica only refuses writes
        TaskMessage task = mapTask();

        handler.start(task);
        handler.run(task, new Cancellation());

        List<TaskEvent> events = reported.awaitEvent(task.jobId(), 0, 1, Kind.FAILED);
        assertThat(events.get(events.size() - 1).error())
                .startsWith("ShuffleStoreException: Redis refused to index the shuffle keys of job " + task.jobId())
                .contains("READONLY You can't write against a read only replica");
    }

    @Test
    void aRedisThatStopsAnsweringForAWhileIsWaitedOutAndTheAttemptSucceeds() {
        TaskMessage task = mapTask();
        // longer than the store's 5 s command timeout: the first write times out, an outage
        admin.async()
                .dispatch(
                        CommandType.DEBUG,
                        new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(7));

        handler.start(task);
        handler.run(task, new Cancellation());

        List<TaskEvent> events = reported.awaitEvent(task.jobId(), 0, 1, Kind.SUCCEEDED);
        assertThat(events).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.SUCCEEDED);
        assertThat(shuffle.missingRuns(task.jobId(), 3, List.of(new MapRunRef(0, 1))))
                .isEmpty();
    }

    /** Writes until Redis refuses: past maxmemory with noeviction, every write is refused. */
    private static void fillUp(RedisCommands<String, String> redis) {
        String filler = "x".repeat(64 * 1024);
        for (int i = 0; i < 1000; i++) {
            try {
                redis.set("filler-" + i, filler);
            } catch (RedisCommandExecutionException e) {
                assertThat(e).hasMessageStartingWith("OOM");
                return;
            }
        }
        throw new AssertionError("Redis took 64 MB with maxmemory 1mb");
    }

    /** A map attempt with no input: it still stores one (empty) run per reduce partition. */
    private static TaskMessage mapTask() {
        return new TaskMessage(
                UUID.randomUUID(),
                TaskType.MAP,
                0,
                1,
                "WORD_COUNT",
                "SUM",
                Map.of(),
                true,
                4,
                "unused",
                List.of(),
                List.of(),
                null);
    }
}
