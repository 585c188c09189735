package dev.mapreduce.runtime.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.engine.shuffle.CorruptRunException;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.shuffle.RunSource;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.ShuffleKeys;
import dev.mapreduce.runtime.MissingRunException;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.StoredRun;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the shuffle store does on any real Redis, one server or a cluster, with 1 KiB chunks so
 * that runs of a few hundred KiB are "long": small runs are one value each, long ones are chunked
 * behind a manifest that appears last, every key keeps the TTL, reads of any window give back the
 * exact bytes, one partition's keys share a slot, keeping a job alive renews every key it wrote,
 * and deleting a job deletes every key it wrote.
 */
abstract class ShuffleStoreContract {

    static final int CHUNK = 1024;
    private static final Duration TTL = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final UUID jobId = UUID.randomUUID();
    private ShuffleStore shuffle;
    private RedisClusterCommands<String, String> redis;

    /** A shuffle store with chunks of {@code chunkBytes} on the Redis under test. */
    abstract ShuffleStore store(int chunkBytes);

    /** Plain commands to the same Redis, to look at and damage what the store wrote. */
    abstract RedisClusterCommands<String, String> redis();

    @BeforeEach
    void connect() {
        shuffle = store(CHUNK);
        redis = redis();
    }

    @AfterEach
    void disconnect() {
        shuffle.deleteJob(jobId);
        shuffle.close();
    }

    @Test
    void smallAndLongRunsRoundTripReadInAnyWindow() throws IOException {
        byte[] small = run(10);
        byte[] exactlyAChunk = random(CHUNK, 1);
        exactlyAChunk[0] = 'X'; // not 'M' 'C', a manifest's start
        byte[] longRun = run(20_000);
        Path file = Files.write(dir.resolve("run"), longRun);
        assertThat(longRun.length).isGreaterThan(100 * CHUNK);

        shuffle.writeRuns(
                jobId, 3, 1, List.of(RunSource.of(small), RunSource.of(exactlyAChunk), fileSource(file)), TTL);

        assertThat(redis.exists(ShuffleKeys.chunk(jobId, 0, 3, 1, 0))).isZero();
        assertThat(redis.exists(ShuffleKeys.chunk(jobId, 1, 3, 1, 0))).isZero();
        long chunks = (longRun.length + CHUNK - 1) / CHUNK;
        assertThat(redis.exists(ShuffleKeys.chunk(jobId, 2, 3, 1, (int) chunks - 1)))
                .isOne();
        assertThat(redis.exists(ShuffleKeys.chunk(jobId, 2, 3, 1, (int) chunks)))
                .isZero();
        assertThat(redis.strlen(ShuffleKeys.run(jobId, 2, 3, 1))).isEqualTo(RunManifest.BYTES);
        for (String key : List.of(
                ShuffleKeys.run(jobId, 0, 3, 1),
                ShuffleKeys.run(jobId, 2, 3, 1),
                ShuffleKeys.chunk(jobId, 2, 3, 1, 0),
                ShuffleKeys.chunk(jobId, 2, 3, 1, 7))) {
            assertThat(redis.ttl(key)).as(key).isBetween(TTL.toSeconds() - 30, TTL.toSeconds());
        }
        byte[][] expected = {small, exactlyAChunk, longRun};
        for (int p = 0; p < 3; p++) {
            for (int window : new int[] {100, CHUNK, 3 * CHUNK + 5, 1 << 20}) {
                StoredRun run = shuffle.openRuns(jobId, p, List.of(new MapRunRef(3, 1)), window)
                        .get(0);
                assertThat(run.size()).isEqualTo(expected[p].length);
                assertThat(run.whole() != null)
                        .as("partition %d, window %d read whole", p, window)
                        .isEqualTo(p < 2 && window >= expected[p].length);
                try (InputStream in = run.open()) {
                    assertThat(in.readAllBytes())
                            .as("partition %d, window %d", p, window)
                            .isEqualTo(expected[p]);
                }
            }
            assertThat(shuffle.fetchRuns(jobId, p, List.of(new MapRunRef(3, 1))).get(0))
                    .isEqualTo(expected[p]);
        }
    }

    @Test
    void aLongRunStreamsIntoAReaderWithAWindowSmallerThanABlock() {
        List<String> keys = new ArrayList<>();
        RunWriter writer = new RunWriter(false);
        for (int i = 0; i < 20_000; i++) {
            String key = String.format("key-%06d", i);
            keys.add(key);
            writer.add(key.getBytes(StandardCharsets.UTF_8), 0, key.length(), i, 0);
        }
        shuffle.writeRuns(jobId, 0, 1, new byte[][] {writer.finish()}, TTL);

        StoredRun run =
                shuffle.openRuns(jobId, 0, List.of(new MapRunRef(0, 1)), 500).get(0);
        RunReader reader = new RunReader(run.open(), 500, 0);
        List<String> read = new ArrayList<>();
        while (reader.next()) {
            assertThat(reader.a()).isEqualTo(read.size());
            read.add(new String(reader.key(), 0, reader.keyLength(), StandardCharsets.UTF_8));
        }
        assertThat(read).isEqualTo(keys);
    }

    @Test
    void anUploadThatFailsHalfWayLeavesNoRunVisible() {
        byte[] longRun = run(5_000);
        RunSource failing = new RunSource() {
            @Override
            public long size() {
                return longRun.length;
            }

            @Override
            public InputStream open() {
                return new FilterInputStream(new ByteArrayInputStream(longRun)) {
                    private int served;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (served > 5 * CHUNK) {
                            throw new IOException("disk read error");
                        }
                        int n = super.read(b, off, Math.min(len, CHUNK));
                        served += Math.max(n, 0);
                        return n;
                    }
                };
            }
        };

        assertThatThrownBy(() -> shuffle.writeRuns(jobId, 0, 1, List.of(failing), TTL))
                .isInstanceOf(IOException.class)
                .hasMessage("disk read error");
        assertThat(redis.exists(ShuffleKeys.chunk(jobId, 0, 0, 1, 0))).isOne();
        assertThat(redis.exists(ShuffleKeys.run(jobId, 0, 0, 1))).isZero();
        assertThatThrownBy(() -> shuffle.openRuns(jobId, 0, List.of(new MapRunRef(0, 1)), 1 << 20))
                .isInstanceOf(MissingRunException.class)
                .extracting(e -> ((MissingRunException) e).mapTask())
                .isEqualTo(0);
    }

    @Test
    void aChunkGoneWhileARunIsReadIsAMissingRunOfItsMapTask() throws IOException {
        shuffle.writeRuns(jobId, 6, 2, new byte[][] {run(5_000)}, TTL);
        StoredRun run = shuffle.openRuns(jobId, 0, List.of(new MapRunRef(6, 2)), 4 * CHUNK)
                .get(0);
        redis.del(ShuffleKeys.chunk(jobId, 0, 6, 2, 9));

        try (InputStream in = run.open()) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(MissingRunException.class)
                    .hasMessageContaining("map task 6")
                    .hasMessageContaining(ShuffleKeys.chunk(jobId, 0, 6, 2, 9) + ", gone while being read");
        }
    }

    @Test
    void aDamagedManifestIsACorruptRunNamingItsPlaceInTheList() {
        shuffle.writeRuns(jobId, 0, 1, new byte[][] {run(10)}, TTL);
        shuffle.writeRuns(jobId, 1, 1, new byte[][] {run(5_000)}, TTL);
        redis.setrange(ShuffleKeys.run(jobId, 0, 1, 1), 9, "x");

        assertThatThrownBy(() -> shuffle.openRuns(jobId, 0, List.of(new MapRunRef(0, 1), new MapRunRef(1, 1)), CHUNK))
                .isInstanceOf(CorruptRunException.class)
                .hasMessageContaining("manifest")
                .extracting(e -> ((CorruptRunException) e).source())
                .isEqualTo(1);
    }

    @Test
    void deletingTheJobDeletesChunksToo() {
        shuffle.writeRuns(jobId, 0, 1, new byte[][] {run(5_000), run(3)}, TTL);

        assertThat(shuffle.deleteJob(jobId)).isGreaterThan(2);
        assertThat(redis.keys(ShuffleKeys.jobPattern(jobId))).isEmpty();
        assertThat(redis.exists(ShuffleKeys.jobIndex(jobId))).isZero();
    }

    @Test
    void everyKeyOfOnePartitionIsInOneSlot() {
        for (int map = 0; map < 4; map++) {
            shuffle.writeRuns(jobId, map, 1, new byte[][] {run(5_000), run(3), run(2_000), run(1)}, TTL);
        }
        shuffle.writeRuns(jobId, 2, 2, new byte[][] {run(3), run(5_000), run(1), run(1)}, TTL);

        Set<String> keys = redis.smembers(ShuffleKeys.jobIndex(jobId));
        assertThat(keys).hasSizeGreaterThan(4 * 5 * 4);
        Map<String, Set<Integer>> slotsOfPartition = new HashMap<>();
        for (String key : keys) {
            assertThat(redis.exists(key)).as(key).isOne();
            String partition = key.substring(0, key.indexOf('}') + 1);
            slotsOfPartition.computeIfAbsent(partition, k -> new HashSet<>()).add(SlotHash.getSlot(key));
        }
        assertThat(slotsOfPartition).hasSize(4);
        slotsOfPartition.forEach(
                (partition, slots) -> assertThat(slots).as(partition).hasSize(1));
        assertThat(SlotHash.getSlot(ShuffleKeys.chunk(jobId, 1, 9, 7, 3)))
                .isEqualTo(SlotHash.getSlot(ShuffleKeys.run(jobId, 1, 0, 1)));
    }

    @Test
    void theJobsIndexNamesEveryKeyAndExpiresWithTheRuns() {
        shuffle.writeRuns(jobId, 0, 1, new byte[][] {run(5_000), run(3)}, TTL);

        assertThat(redis.ttl(ShuffleKeys.jobIndex(jobId))).isBetween(TTL.toSeconds() - 30, TTL.toSeconds());
        assertThat(redis.smembers(ShuffleKeys.jobIndex(jobId)))
                .containsExactlyInAnyOrderElementsOf(redis.keys(ShuffleKeys.jobPattern(jobId)));
    }

    @Test
    void keepingAJobAliveRenewsEveryKeyItsIndexNamesAndTheIndex() {
        Duration shortTtl = Duration.ofSeconds(20);
        shuffle.writeRuns(jobId, 0, 1, new byte[][] {run(5_000), run(3)}, shortTtl);
        shuffle.writeRuns(jobId, 1, 1, new byte[][] {run(2), run(2_000)}, shortTtl);
        Set<String> keys = redis.smembers(ShuffleKeys.jobIndex(jobId));

        assertThat(shuffle.keepAlive(jobId, TTL)).isEqualTo(keys.size());

        for (String key : keys) {
            assertThat(redis.ttl(key)).as(key).isGreaterThan(shortTtl.toSeconds());
        }
        assertThat(redis.ttl(ShuffleKeys.jobIndex(jobId))).isGreaterThan(shortTtl.toSeconds());
        assertThat(shuffle.fetchRuns(jobId, 1, List.of(new MapRunRef(0, 1), new MapRunRef(1, 1))))
                .containsExactly(run(3), run(2_000));
    }

    @Test
    void keepingAJobWithoutRunsAliveStoresNothing() {
        assertThat(shuffle.keepAlive(jobId, TTL)).isZero();

        assertThat(redis.exists(ShuffleKeys.jobIndex(jobId))).isZero();
    }

    @Test
    void deletingAJobDeletesEveryKeyOfConcurrentAttemptsAndReRunsButNoOtherJobs() throws Exception {
        UUID neighbour = UUID.randomUUID();
        shuffle.writeRuns(neighbour, 0, 1, new byte[][] {run(5_000), run(3)}, TTL);
        int maps = 24;
        ExecutorService writers = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int map = 0; map < maps; map++) {
                int m = map;
                writes.add(writers.submit(() -> {
                    shuffle.writeRuns(jobId, m, 1, new byte[][] {run(3), run(m % 3 == 0 ? 5_000 : 10), run(1)}, TTL);
                    if (m % 4 == 0) { // a re-run of the map task
                        shuffle.writeRuns(jobId, m, 2, new byte[][] {run(3), run(2), run(1)}, TTL);
                    }
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            writers.shutdown();
        }
        long stored = redis.keys(ShuffleKeys.jobPattern(jobId)).size();
        assertThat(stored).isGreaterThan(maps * 3 + maps / 4 * 3);

        assertThat(shuffle.deleteJob(jobId)).isEqualTo(stored);

        assertThat(redis.keys(ShuffleKeys.jobPattern(jobId))).isEmpty();
        assertThat(redis.exists(ShuffleKeys.jobIndex(jobId))).isZero();
        assertThat(shuffle.fetchRuns(neighbour, 0, List.of(new MapRunRef(0, 1))).get(0))
                .isEqualTo(run(5_000));
        assertThat(shuffle.deleteJob(neighbour)).isGreaterThan(2);
    }

    @Test
    void deletesRacingWritersLeaveNothingOnceTheWritersStop() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int map = 0; map < 40; map++) {
                int m = map;
                work.add(threads.submit(() -> shuffle.writeRuns(jobId, m, 1, new byte[][] {run(3), run(2_000)}, TTL)));
                if (map % 10 == 0) {
                    work.add(threads.submit(() -> shuffle.deleteJob(jobId)));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }

        shuffle.deleteJob(jobId);

        assertThat(redis.keys(ShuffleKeys.jobPattern(jobId))).isEmpty();
        assertThat(redis.exists(ShuffleKeys.jobIndex(jobId))).isZero();
    }

    /** An encoded run of {@code n} keys. */
    private static byte[] run(int n) {
        RunWriter writer = new RunWriter(true);
        SplittableRandom random = new SplittableRandom(n);
        for (int i = 0; i < n; i++) {
            byte[] key = String.format("%08d-%d", i, random.nextInt()).getBytes(StandardCharsets.UTF_8);
            writer.add(key, 0, key.length, random.nextLong(), i);
        }
        return writer.finish();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    private static RunSource fileSource(Path file) throws IOException {
        long size = Files.size(file);
        return new RunSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }
}
