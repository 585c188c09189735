package dev.mapreduce.runtime.redis;

import dev.mapreduce.engine.shuffle.CorruptRunException;
import dev.mapreduce.engine.shuffle.RunSource;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.ShuffleKeys;
import dev.mapreduce.runtime.MissingRunException;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.ShuffleStoreException;
import dev.mapreduce.runtime.StoredRun;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The shuffle in Redis: one key per (reduce partition, map task, attempt). A run of at most
 * {@code chunkBytes} (1 MiB by default) is that key's value, written with one {@code SET … EX}
 * (pipelined with the attempt's other runs). A longer run is cut into chunks of
 * {@code chunkBytes} under keys of their own ({@link ShuffleKeys#chunk}), written a few at a time,
 * and only then does its key get a {@link RunManifest} naming them: a reader never sees a run
 * before all of it is stored, Redis never copies a growing string, and no command carries more
 * than a chunk. Reads fetch a window per run in one pipeline (all of a small run), then the rest
 * of each run a window at a time as it is merged. Thread-safe; one connection per process.
 *
 * <p>The same on one Redis server or on a Redis Cluster ({@link #RedisShuffleStore(String,
 * String, Duration, int)}): the keys of one reduce partition share a hash tag, so one slot holds
 * all its runs and a read's pipeline goes to one master. Before an attempt writes its runs, and
 * again after, it adds their keys to the job's index ({@link ShuffleKeys#jobIndex}), which
 * expires with them; {@link #keepAlive} renews what the index names while the job runs, and
 * {@link #deleteJob} pops the index and deletes what it names, slot by slot, never scanning a
 * node's keyspace.
 */
public final class RedisShuffleStore implements ShuffleStore {

    /** Runs up to this size are one value; longer ones are stored in chunks of this size. */
    public static final int DEFAULT_CHUNK_BYTES = 1 << 20;
    /** Chunk writes of one run in flight at once: bounds the memory an upload holds. */
    private static final int CHUNKS_IN_FLIGHT = 4;
    /** Bytes of small runs read from files and in flight at once. */
    private static final long SMALL_BYTES_IN_FLIGHT = 8L << 20;
    /** Keys popped from a job's index and deleted at a time. */
    private static final int DELETE_BATCH = 1000;
    /** Keys of a job's index renewed per pipeline. */
    private static final int KEEP_ALIVE_BATCH = 1000;

    private final ShuffleRedis redis;
    private final Duration commandTimeout;
    private final int chunkBytes;

    public RedisShuffleStore(String redisUrl, Duration commandTimeout) {
        this(redisUrl, commandTimeout, DEFAULT_CHUNK_BYTES);
    }

    public RedisShuffleStore(String redisUrl, Duration commandTimeout, int chunkBytes) {
        this(redisUrl, null, commandTimeout, chunkBytes);
    }

    /** The shuffle on the Redis Cluster of {@code clusterNodes} if it is not blank, else on {@code redisUrl}. */
    public RedisShuffleStore(String redisUrl, String clusterNodes, Duration commandTimeout) {
        this(redisUrl, clusterNodes, commandTimeout, DEFAULT_CHUNK_BYTES);
    }

    /**
     * The shuffle on the Redis Cluster found from {@code clusterNodes} (comma-separated
     * {@code host:port} seeds or {@code redis://} URIs) if it is not blank, else on the one server
     * at {@code redisUrl}.
     *
     * @throws IllegalArgumentException if a seed node is malformed
     * @throws ShuffleStoreException if Redis cannot be reached
     */
    public RedisShuffleStore(String redisUrl, String clusterNodes, Duration commandTimeout, int chunkBytes) {
        this(redisUrl, clusterNodes, RedisAuth.NONE, commandTimeout, chunkBytes);
    }

    /** As {@link #RedisShuffleStore(String, String, Duration)}, authenticating with {@code auth}. */
    public RedisShuffleStore(String redisUrl, String clusterNodes, RedisAuth auth, Duration commandTimeout) {
        this(redisUrl, clusterNodes, auth, commandTimeout, DEFAULT_CHUNK_BYTES);
    }

    /**
     * As {@link #RedisShuffleStore(String, String, Duration, int)}, every connection authenticating
     * with {@code auth}.
     */
    public RedisShuffleStore(
            String redisUrl, String clusterNodes, RedisAuth auth, Duration commandTimeout, int chunkBytes) {
        if (chunkBytes < RunManifest.BYTES) {
            throw new IllegalArgumentException("shuffle chunks must be at least " + RunManifest.BYTES + " bytes");
        }
        this.commandTimeout = commandTimeout;
        this.chunkBytes = chunkBytes;
        this.redis = ShuffleRedis.connect(redisUrl, clusterNodes, auth, commandTimeout);
    }

    /**
     * Stores one map attempt's runs, {@code runs.get(p)} for reduce partition {@code p}, each
     * expiring after {@code ttl}: the small ones pipelined, the long ones streamed in chunks.
     *
     * @throws IOException if a run cannot be read from its file
     * @throws ShuffleStoreException if Redis refuses or does not answer
     */
    @Override
    public void writeRuns(UUID jobId, int mapTask, int attempt, List<RunSource> runs, Duration ttl) throws IOException {
        RedisClusterAsyncCommands<byte[], byte[]> async = redis.async;
        byte[][] keys = keys(jobId, mapTask, attempt, runs);
        index(async, jobId, keys, ttl);
        SetArgs expiry = SetArgs.Builder.ex(ttl);
        ArrayDeque<Write> small = new ArrayDeque<>();
        long smallBytes = 0;
        for (int p = 0; p < runs.size(); p++) {
            RunSource run = runs.get(p);
            if (run.size() <= chunkBytes) {
                small.add(set(async, ShuffleKeys.run(jobId, p, mapTask, attempt), run.readAll(), expiry));
                smallBytes += run.size();
                while (smallBytes > SMALL_BYTES_IN_FLIGHT) {
                    Write oldest = small.poll();
                    oldest.await();
                    smallBytes -= oldest.bytes;
                }
            }
        }
        for (int p = 0; p < runs.size(); p++) {
            RunSource run = runs.get(p);
            if (run.size() > chunkBytes) {
                writeChunked(async, jobId, p, mapTask, attempt, run, expiry);
            }
        }
        for (Write write : small) {
            write.await();
        }
        index(async, jobId, keys, ttl);
    }

    /** Every key the attempt writes: each partition's run, and the chunks of the long ones. */
    private byte[][] keys(UUID jobId, int mapTask, int attempt, List<RunSource> runs) {
        List<byte[]> keys = new ArrayList<>(runs.size());
        for (int p = 0; p < runs.size(); p++) {
            keys.add(key(ShuffleKeys.run(jobId, p, mapTask, attempt)));
            long size = runs.get(p).size();
            if (size > chunkBytes) {
                int chunks = RunManifest.of(size, chunkBytes).chunks();
                for (int c = 0; c < chunks; c++) {
                    keys.add(key(ShuffleKeys.chunk(jobId, p, mapTask, attempt, c)));
                }
            }
        }
        return keys.toArray(new byte[0][]);
    }

    /**
     * Adds the attempt's keys to the job's index and makes the index live as long as they do. An
     * attempt does it before its first write, so that what an upload stored before it failed is
     * indexed, and again after its last, so that a delete that popped a key before it was stored
     * (a job deleted while a zombie attempt writes) leaves it indexed for the next delete: once
     * the writers stop, every stored key is in the index. Re-runs and concurrent attempts only add
     * members.
     */
    private void index(RedisClusterAsyncCommands<byte[], byte[]> async, UUID jobId, byte[][] keys, Duration ttl) {
        if (keys.length == 0) {
            return;
        }
        byte[] index = key(ShuffleKeys.jobIndex(jobId));
        RedisFuture<Long> added = async.sadd(index, keys);
        RedisFuture<Boolean> expires = async.expire(index, ttl);
        await(added, "index the shuffle keys of job " + jobId);
        await(expires, "index the shuffle keys of job " + jobId);
    }

    private void writeChunked(
            RedisClusterAsyncCommands<byte[], byte[]> async,
            UUID jobId,
            int partition,
            int mapTask,
            int attempt,
            RunSource run,
            SetArgs expiry)
            throws IOException {
        RunManifest manifest = RunManifest.of(run.size(), chunkBytes);
        ArrayDeque<Write> inFlight = new ArrayDeque<>();
        try (InputStream in = run.open()) {
            for (int c = 0; c < manifest.chunks(); c++) {
                byte[] chunk = in.readNBytes(manifest.length(c));
                if (chunk.length != manifest.length(c)) {
                    throw new IOException("run of partition " + partition + " ended after "
                            + ((long) c * chunkBytes + chunk.length) + " of " + run.size() + " bytes");
                }
                inFlight.add(set(async, ShuffleKeys.chunk(jobId, partition, mapTask, attempt, c), chunk, expiry));
                if (inFlight.size() >= CHUNKS_IN_FLIGHT) {
                    inFlight.poll().await();
                }
            }
        }
        while (!inFlight.isEmpty()) {
            inFlight.poll().await();
        }
        set(async, ShuffleKeys.run(jobId, partition, mapTask, attempt), manifest.encode(), expiry)
                .await();
    }

    private Write set(RedisClusterAsyncCommands<byte[], byte[]> async, String key, byte[] value, SetArgs expiry) {
        return new Write(key, value.length, async.set(key(key), value, expiry));
    }

    /** A SET in flight. */
    private final class Write {

        private final String key;
        private final int bytes;
        private final RedisFuture<String> reply;

        Write(String key, int bytes, RedisFuture<String> reply) {
            this.key = key;
            this.bytes = bytes;
            this.reply = reply;
        }

        void await() {
            try {
                String answer = reply.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!"OK".equals(answer)) {
                    throw new ShuffleStoreException("Redis did not store " + key + ": " + answer, null);
                }
            } catch (ExecutionException e) {
                throw new ShuffleStoreException(
                        "Redis refused to store " + key + " (" + bytes + " bytes): "
                                + e.getCause().getMessage(),
                        e.getCause());
            } catch (TimeoutException e) {
                throw new ShuffleStoreException("Redis did not answer storing " + key + " within " + commandTimeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShuffleStoreException("interrupted storing " + key, e);
            }
        }
    }

    /**
     * Opens the runs of reduce partition {@code partition} written by {@code maps}, in the same
     * order, with one pipeline that reads up to {@code windowBytes} of each: a run that fits is
     * then in memory ({@link StoredRun#whole()}), the others are read on a window at a time.
     *
     * @throws MissingRunException naming the first map task whose run is gone
     * @throws CorruptRunException whose {@link CorruptRunException#source()} is the index in
     *     {@code maps} of a run stored in chunks whose manifest is damaged
     */
    @Override
    public List<StoredRun> openRuns(UUID jobId, int partition, List<MapRunRef> maps, int windowBytes) {
        int window = Math.max(windowBytes, RunManifest.BYTES);
        RedisClusterAsyncCommands<byte[], byte[]> async = redis.async;
        List<RedisFuture<Long>> sizes = new ArrayList<>(maps.size());
        List<RedisFuture<byte[]>> firsts = new ArrayList<>(maps.size());
        for (MapRunRef m : maps) {
            byte[] key = key(ShuffleKeys.run(jobId, partition, m.mapTask(), m.attempt()));
            sizes.add(async.strlen(key));
            firsts.add(async.getrange(key, 0, window - 1));
        }
        List<StoredRun> runs = new ArrayList<>(maps.size());
        for (int i = 0; i < maps.size(); i++) {
            MapRunRef m = maps.get(i);
            String key = ShuffleKeys.run(jobId, partition, m.mapTask(), m.attempt());
            long size = read(sizes.get(i));
            byte[] first = read(firsts.get(i));
            if (size == 0 || first.length == 0) {
                throw new MissingRunException(m.mapTask(), key);
            }
            if (!RunManifest.isManifest(first)) {
                runs.add(new RedisStoredRun(
                        m.mapTask(), redis.sync, new byte[][] {key(key)}, new long[] {size}, first, window));
                continue;
            }
            RunManifest manifest = RunManifest.decode(first, i);
            byte[][] chunks = new byte[manifest.chunks()][];
            long[] lengths = new long[manifest.chunks()];
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = key(ShuffleKeys.chunk(jobId, partition, m.mapTask(), m.attempt(), c));
                lengths[c] = manifest.length(c);
            }
            runs.add(new RedisStoredRun(m.mapTask(), redis.sync, chunks, lengths, null, window));
        }
        return runs;
    }

    /**
     * The runs of reduce partition {@code partition} written by {@code maps}, in the same order,
     * each whole in memory: for tests and tools, not for partitions of unknown size.
     *
     * @throws MissingRunException naming the first map task whose run is gone
     */
    @Override
    public List<byte[]> fetchRuns(UUID jobId, int partition, List<MapRunRef> maps) {
        List<byte[]> runs = new ArrayList<>(maps.size());
        for (StoredRun run : openRuns(jobId, partition, maps, chunkBytes)) {
            if (run.whole() != null) {
                runs.add(run.whole());
            } else {
                try (InputStream in = run.open()) {
                    runs.add(in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return runs;
    }

    private <T> T read(RedisFuture<T> reply) {
        try {
            return reply.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ShuffleStoreException(
                    "cannot read shuffle runs from Redis: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ShuffleStoreException("Redis did not answer within " + commandTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuffleStoreException("interrupted reading shuffle runs", e);
        }
    }

    /** The reply to a command that does what {@code what} says. */
    private <T> T await(RedisFuture<T> reply, String what) {
        try {
            return reply.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ShuffleStoreException(
                    "Redis refused to " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new ShuffleStoreException(
                    "Redis did not answer within " + commandTimeout + " (" + redis.description + ", to " + what + ")",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuffleStoreException("interrupted trying to " + what, e);
        }
    }

    /** The map tasks among {@code maps} whose run of reduce partition {@code partition} is not in Redis. */
    @Override
    public List<Integer> missingRuns(UUID jobId, int partition, List<MapRunRef> maps) {
        RedisClusterAsyncCommands<byte[], byte[]> async = redis.async;
        List<RedisFuture<Long>> replies = new ArrayList<>(maps.size());
        for (MapRunRef m : maps) {
            replies.add(async.exists(key(ShuffleKeys.run(jobId, partition, m.mapTask(), m.attempt()))));
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            try {
                if (replies.get(i).get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS) == 0) {
                    missing.add(maps.get(i).mapTask());
                }
            } catch (ExecutionException | TimeoutException e) {
                throw new ShuffleStoreException("cannot check shuffle runs in Redis: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShuffleStoreException("interrupted checking shuffle runs", e);
            }
        }
        return missing;
    }

    /**
     * Renews the job's index and every key it names, a batch of {@code SSCAN} at a time with the
     * batch's {@code EXPIRE}s pipelined; the index first, so that it cannot expire mid-scan. A key
     * already gone stays gone: lineage recovery re-runs its map task.
     */
    @Override
    public long keepAlive(UUID jobId, Duration ttl) {
        byte[] index = key(ShuffleKeys.jobIndex(jobId));
        String what = "keep the shuffle keys of job " + jobId + " alive";
        if (!await(redis.async.expire(index, ttl), what)) {
            return 0; // no runs yet, or the job's keys are deleted
        }
        long renewed = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ValueScanCursor<byte[]> page =
                    await(redis.async.sscan(index, cursor, ScanArgs.Builder.limit(KEEP_ALIVE_BATCH)), what);
            List<RedisFuture<Boolean>> expires =
                    new ArrayList<>(page.getValues().size());
            for (byte[] key : page.getValues()) {
                expires.add(redis.async.expire(key, ttl));
            }
            for (RedisFuture<Boolean> expired : expires) {
                if (await(expired, what)) {
                    renewed++;
                }
            }
            cursor = page;
        } while (!cursor.isFinished());
        return renewed;
    }

    /**
     * Deletes every shuffle key of the job, of every attempt, as its index names them; returns how
     * many there were. The index is popped a batch at a time, so concurrent deletes share the work
     * and keys an attempt adds meanwhile are deleted too; an attempt that writes after the last
     * pop starts a new index, and its keys expire with it.
     */
    @Override
    public long deleteJob(UUID jobId) {
        byte[] index = key(ShuffleKeys.jobIndex(jobId));
        String what = "delete the shuffle keys of job " + jobId;
        long deleted = 0;
        while (true) {
            Set<byte[]> keys = await(redis.async.spop(index, DELETE_BATCH), what);
            if (keys.isEmpty()) {
                return deleted;
            }
            List<RedisFuture<Long>> unlinks = new ArrayList<>();
            for (List<byte[]> slot :
                    SlotHash.partition(ByteArrayCodec.INSTANCE, keys).values()) {
                unlinks.add(redis.async.unlink(slot.toArray(new byte[0][])));
            }
            for (RedisFuture<Long> unlinked : unlinks) {
                deleted += await(unlinked, what);
            }
        }
    }

    /** Whether Redis answers. */
    @Override
    public boolean ping() {
        try {
            return "PONG".equals(redis.sync.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        redis.close();
    }
}
