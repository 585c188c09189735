package dev.mapreduce.reduceworker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real reduce worker taking tasks from Kafka, merging runs from Redis and committing rows to PostgreSQL. */
class ReduceWorkerIT extends RunningReduceWorker {

    private static final int REDUCERS = 2;
    private static final Duration TTL = Duration.ofMinutes(10);
    /** Keys that COPY's text format must escape or that look like its markers (\N is NULL, \. ends the data). */
    private static final List<String> AWKWARD_KEYS = List.of(
            "tab\there",
            "back\\slash",
            "new\nline",
            "carriage\rreturn",
            "\\N",
            "\\.",
            "ends with backslash\\",
            "ünïcödé 日本語 🚀",
            "order-service",
            "");

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;
    private final List<UUID> jobs = new ArrayList<>();

    @BeforeEach
    void connect() {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
    }

    @AfterEach
    void disconnect() {
        jobs.forEach(shuffle::deleteJob);
        events.close();
        coordinator.close();
        shuffle.close();
    }

    @Test
    void reducesEachPartitionIntoResultsOnceAndARerunChangesNothing() {
        UUID jobId = newJob();
        List<String> keys = new ArrayList<>(AWKWARD_KEYS);
        for (int i = 0; i < 300; i++) {
            keys.add("word-" + i);
        }
        // map task m, committed as attempt 1 (map 1 as attempt 2): key k gets value (k + 1) * (m + 1) * 7, if present
        List<MapRunRef> committed = List.of(new MapRunRef(0, 1), new MapRunRef(1, 2), new MapRunRef(2, 1));
        Map<String, Long> expected = new TreeMap<>();
        long[] entries = new long[REDUCERS];
        for (MapRunRef map : committed) {
            Map<Integer, TreeMap<byte[], long[]>> runs = new HashMap<>();
            for (int k = 0; k < keys.size(); k++) {
                if ((k + map.mapTask()) % 3 == 0) {
                    continue; // each map task lacks a third of the keys
                }
                long value = (k + 1L) * (map.mapTask() + 1) * 7;
                byte[] key = utf8(keys.get(k));
                runs.computeIfAbsent(partition(key), p -> new TreeMap<>(Arrays::compareUnsigned))
                        .put(key, new long[] {value, 0});
                expected.merge(keys.get(k), value, Long::sum);
                entries[partition(key)]++;
            }
            writeRuns(jobId, map, false, runs);
        }
        // a stale attempt of map 1 whose output must not be read
        writeRuns(
                jobId, new MapRunRef(1, 1), false, Map.of(0, singleton("stale", 1_000_000), 1, singleton("stale", 1)));

        for (int partition = 0; partition < REDUCERS; partition++) {
            coordinator.send(reduceTask(jobId, partition, 1, "SUM", committed));
        }

        for (int partition = 0; partition < REDUCERS; partition++) {
            List<TaskEvent> reported = events.awaitEvent(jobId, partition, 1, Kind.SUCCEEDED);
            assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.SUCCEEDED);
            TaskEvent succeeded = reported.get(1);
            assertThat(succeeded.type()).isEqualTo(TaskType.REDUCE);
            assertThat(succeeded.workerId()).isEqualTo(WORKER_ID);
            assertThat(succeeded.counters().reduceInputRecords()).isEqualTo(entries[partition]);
            assertThat(succeeded.counters().outputRecords()).isEqualTo(keysIn(expected, partition));
        }
        assertThat(results(jobId)).isEqualTo(decimals(expected));
        assertThat(commits(jobId))
                .containsExactly(
                        List.of(0, 1, WORKER_ID, keysIn(expected, 0)), List.of(1, 1, WORKER_ID, keysIn(expected, 1)));
        List<BigDecimal> top = jdbc.sql(
                        "SELECT result_key, result_value FROM results WHERE job_id = ? ORDER BY result_value DESC LIMIT 20")
                .param(jobId)
                .query((rs, n) -> rs.getBigDecimal("result_value"))
                .list();
        assertThat(top).isSortedAccordingTo((x, y) -> y.compareTo(x)).hasSize(20);
        assertThat(top.get(0))
                .isEqualByComparingTo(BigDecimal.valueOf(expected.values().stream()
                        .mapToLong(Long::longValue)
                        .max()
                        .orElseThrow()));

        coordinator.send(reduceTask(jobId, 0, 2, "SUM", committed));

        List<TaskEvent> rerun = events.awaitEvent(jobId, 0, 2, Kind.FAILED);
        assertThat(rerun.get(rerun.size() - 1).error())
                .isEqualTo("superseded: partition 0 of job " + jobId + " was already committed");
        assertThat(results(jobId)).isEqualTo(decimals(expected));
        assertThat(commits(jobId)).hasSize(2).allSatisfy(row -> assertThat(row.get(1))
                .isEqualTo(1));
    }

    @Test
    void averagesKeepTheirDecimals() {
        UUID jobId = newJob();
        List<MapRunRef> committed = List.of(new MapRunRef(0, 1), new MapRunRef(1, 1));
        // (sum, count) partials, as an AVG combiner leaves them
        writeRuns(jobId, committed.get(0), true, Map.of(0, partials("a", 4, 2, "b", 6, 2, "neg", -5, 2)));
        writeRuns(jobId, committed.get(1), true, Map.of(0, partials("a", 6, 2, "b", 4, 1, "one", 7, 1)));

        coordinator.send(reduceTask(jobId, 0, 1, "AVG", committed, 1));

        events.awaitEvent(jobId, 0, 1, Kind.SUCCEEDED);
        assertThat(results(jobId))
                .containsOnlyKeys("a", "b", "neg", "one")
                .hasEntrySatisfying("a", v -> assertThat(v).isEqualByComparingTo("2.5"))
                .hasEntrySatisfying("b", v -> assertThat(v).isEqualByComparingTo("3.333333"))
                .hasEntrySatisfying("neg", v -> assertThat(v).isEqualByComparingTo("-2.5"))
                .hasEntrySatisfying("one", v -> assertThat(v).isEqualByComparingTo("7"));
    }

    @Test
    void aMissingMapRunIsAFetchFailureNamingTheMapTaskAndWritesNothing() {
        UUID jobId = newJob();
        writeRuns(jobId, new MapRunRef(0, 1), false, Map.of(0, singleton("x", 1), 1, singleton("y", 1)));
        List<MapRunRef> committed = List.of(new MapRunRef(0, 1), new MapRunRef(1, 1));

        coordinator.send(reduceTask(jobId, 0, 1, "SUM", committed));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FETCH_FAILED);
        assertThat(reported).extracting(TaskEvent::kind).containsExactly(Kind.STARTED, Kind.FETCH_FAILED);
        assertThat(reported.get(1).lostMapTask()).isEqualTo(1);
        assertThat(reported.get(1).error())
                .startsWith(
                        "fetch failed: shuffle run of map task 1 is missing from Redis (mr:{" + jobId + ":0}:m1:a1");
        assertThat(results(jobId)).isEmpty();
        assertThat(commits(jobId)).isEmpty();
    }

    @Test
    void aDamagedMapRunIsAFetchFailureNamingTheMapTask() {
        UUID jobId = newJob();
        writeRuns(jobId, new MapRunRef(0, 1), false, Map.of(0, singleton("x", 1)));
        shuffle.writeRuns(jobId, 1, 1, new byte[][] {utf8("not a run at all")}, TTL);

        coordinator.send(reduceTask(jobId, 0, 1, "SUM", List.of(new MapRunRef(0, 1), new MapRunRef(1, 1)), 1));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FETCH_FAILED);
        assertThat(reported.get(reported.size() - 1).lostMapTask()).isEqualTo(1);
        assertThat(reported.get(reported.size() - 1).error())
                .startsWith("fetch failed: shuffle run of map task 1 is corrupt (");
        assertThat(commits(jobId)).isEmpty();
    }

    @Test
    void aNulInAKeyIsStoredAsTheSymbolForNullAsMrLocalWritesIt() {
        UUID jobId = newJob();
        writeRuns(jobId, new MapRunRef(0, 1), false, Map.of(0, partials("a", 1, 0, "b\0c", 2, 0)));

        coordinator.send(reduceTask(jobId, 0, 1, "SUM", List.of(new MapRunRef(0, 1)), 1));

        events.awaitEvent(jobId, 0, 1, Kind.SUCCEEDED);
        assertThat(results(jobId)).containsOnlyKeys("a", "b␀c").hasEntrySatisfying("b␀c", v -> assertThat(v)
                .isEqualByComparingTo("2"));
    }

    @Test
    void aForgedTaskMessageForAnAttemptTheCoordinatorNeverRecordedCommitsNothing() {
        UUID jobId = newJob();
        List<MapRunRef> committed = List.of(new MapRunRef(0, 1));
        writeRuns(jobId, committed.get(0), false, Map.of(0, singleton("stolen", 42), 1, singleton("other", 1)));
        int forged = LIVE_ATTEMPTS + 90;

        coordinator.send(reduceTask(jobId, 0, forged, "SUM", committed));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, forged, Kind.FAILED);
        assertThat(reported.get(reported.size() - 1).error())
                .startsWith("not live: the coordinator has no live attempt " + forged + " of partition 0");
        assertThat(results(jobId)).isEmpty();
        assertThat(commits(jobId)).isEmpty();

        // the partition is still free for the attempt the coordinator did record
        coordinator.send(reduceTask(jobId, 0, 1, "SUM", committed));
        events.awaitEvent(jobId, 0, 1, Kind.SUCCEEDED);
        assertThat(results(jobId)).containsOnlyKeys("stolen");
        assertThat(commits(jobId)).singleElement().satisfies(row -> assertThat(row.get(1))
                .isEqualTo(1));
    }

    @Test
    void anAttemptTheCoordinatorEndedCommitsNothing() {
        UUID jobId = newJob();
        List<MapRunRef> committed = List.of(new MapRunRef(0, 1));
        writeRuns(jobId, committed.get(0), false, Map.of(0, singleton("late", 7), 1, singleton("other", 1)));
        killAttempt(jobId, 0, 1);

        coordinator.send(reduceTask(jobId, 0, 1, "SUM", committed));

        List<TaskEvent> reported = events.awaitEvent(jobId, 0, 1, Kind.FAILED);
        assertThat(reported.get(reported.size() - 1).error()).startsWith("not live:");
        assertThat(results(jobId)).isEmpty();
        assertThat(commits(jobId)).isEmpty();
    }

    private UUID newJob() {
        UUID jobId = insertJob(UUID.randomUUID());
        jobs.add(jobId);
        return jobId;
    }

    private static TaskMessage reduceTask(
            UUID jobId, int partition, int attempt, String function, List<MapRunRef> mapRuns) {
        return reduceTask(jobId, partition, attempt, function, mapRuns, REDUCERS);
    }

    private static TaskMessage reduceTask(
            UUID jobId, int partition, int attempt, String function, List<MapRunRef> mapRuns, int reducers) {
        return new TaskMessage(
                jobId,
                TaskType.REDUCE,
                partition,
                attempt,
                "WORD_COUNT",
                function,
                Map.of(),
                true,
                reducers,
                null,
                List.of(),
                mapRuns,
                null);
    }

    /** Encodes and stores one map attempt's runs; a partition without entries gets an empty run, as map workers do. */
    private void writeRuns(UUID jobId, MapRunRef map, boolean withCount, Map<Integer, TreeMap<byte[], long[]>> runs) {
        int partitions = runs.keySet().stream().mapToInt(p -> p + 1).max().orElse(1);
        byte[][] encoded = new byte[partitions][];
        for (int p = 0; p < partitions; p++) {
            RunWriter writer = new RunWriter(withCount);
            runs.getOrDefault(p, new TreeMap<>(Arrays::compareUnsigned))
                    .forEach((key, partial) -> writer.add(key, 0, key.length, partial[0], partial[1]));
            encoded[p] = writer.finish();
        }
        shuffle.writeRuns(jobId, map.mapTask(), map.attempt(), encoded, TTL);
    }

    private static TreeMap<byte[], long[]> singleton(String key, long value) {
        return partials(key, value, 0);
    }

    /** Entries given as key, a, b, key, a, b, … */
    private static TreeMap<byte[], long[]> partials(Object... keyAB) {
        TreeMap<byte[], long[]> run = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < keyAB.length; i += 3) {
            run.put(
                    utf8((String) keyAB[i]),
                    new long[] {((Number) keyAB[i + 1]).longValue(), ((Number) keyAB[i + 2]).longValue()});
        }
        return run;
    }

    private Map<String, BigDecimal> results(UUID jobId) {
        Map<String, BigDecimal> rows = new TreeMap<>();
        jdbc.sql("SELECT result_key, result_value FROM results WHERE job_id = ?")
                .param(jobId)
                .query((rs, n) -> rows.put(rs.getString(1), rs.getBigDecimal(2)))
                .list();
        return rows;
    }

    /** (partition, attempt, worker_id, output_rows) of each commit, by partition. */
    private List<List<Object>> commits(UUID jobId) {
        return jdbc.sql(
                        "SELECT partition, attempt, worker_id, output_rows FROM reduce_commits WHERE job_id = ? ORDER BY partition")
                .param(jobId)
                .query((rs, n) -> List.<Object>of(rs.getInt(1), rs.getInt(2), rs.getString(3), rs.getLong(4)))
                .list();
    }

    private static Map<String, BigDecimal> decimals(Map<String, Long> values) {
        Map<String, BigDecimal> out = new TreeMap<>();
        values.forEach((k, v) -> out.put(k, BigDecimal.valueOf(v)));
        return out;
    }

    private static long keysIn(Map<String, Long> expected, int partition) {
        return expected.keySet().stream()
                .filter(k -> partition(utf8(k)) == partition)
                .count();
    }

    private static int partition(byte[] key) {
        return Math.floorMod(Hashing.murmur3_32_fixed().hashBytes(key).asInt(), REDUCERS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
