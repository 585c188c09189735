package dev.mapreduce.runtime;

import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.ShuffleKeys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The shuffle in Redis: one key per (reduce partition, map task, attempt) holding that run's
 * bytes, written with one {@code SET … EX} each (pipelined) and fetched for a reduce partition
 * with one {@code MGET}. Thread-safe; one connection per process.
 */
public final class ShuffleStore implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final Duration commandTimeout;

    public ShuffleStore(String redisUrl, Duration commandTimeout) {
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(commandTimeout);
        this.client = RedisClient.create(uri);
        this.commandTimeout = commandTimeout;
        try {
            this.connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RuntimeException e) {
            client.shutdown();
            throw new ShuffleStoreException("cannot connect to Redis at " + redisUrl + ": " + e.getMessage(), e);
        }
    }

    /** Stores one map attempt's runs, {@code runs[p]} for reduce partition {@code p}, each expiring after {@code ttl}. */
    public void writeRuns(UUID jobId, int mapTask, int attempt, byte[][] runs, Duration ttl) {
        RedisAsyncCommands<byte[], byte[]> async = connection.async();
        SetArgs expiry = SetArgs.Builder.ex(ttl);
        List<RedisFuture<String>> replies = new ArrayList<>(runs.length);
        for (int p = 0; p < runs.length; p++) {
            replies.add(async.set(key(ShuffleKeys.run(jobId, p, mapTask, attempt)), runs[p], expiry));
        }
        for (int p = 0; p < runs.length; p++) {
            String key = ShuffleKeys.run(jobId, p, mapTask, attempt);
            try {
                String reply = replies.get(p).get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!"OK".equals(reply)) {
                    throw new ShuffleStoreException("Redis did not store " + key + ": " + reply, null);
                }
            } catch (ExecutionException e) {
                throw new ShuffleStoreException(
                        "Redis refused to store " + key + " (" + runs[p].length + " bytes): "
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
     * The runs of reduce partition {@code partition} written by {@code maps}, in the same order.
     *
     * @throws MissingRunException naming the first map task whose run is gone
     */
    public List<byte[]> fetchRuns(UUID jobId, int partition, List<MapRunRef> maps) {
        if (maps.isEmpty()) {
            return List.of();
        }
        byte[][] keys = new byte[maps.size()][];
        for (int i = 0; i < keys.length; i++) {
            MapRunRef m = maps.get(i);
            keys[i] = key(ShuffleKeys.run(jobId, partition, m.mapTask(), m.attempt()));
        }
        List<KeyValue<byte[], byte[]>> values;
        try {
            values = connection.sync().mget(keys);
        } catch (RuntimeException e) {
            throw new ShuffleStoreException("cannot read shuffle runs from Redis: " + e.getMessage(), e);
        }
        List<byte[]> runs = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            KeyValue<byte[], byte[]> kv = values.get(i);
            if (!kv.hasValue()) {
                throw new MissingRunException(maps.get(i).mapTask(), new String(keys[i], StandardCharsets.UTF_8));
            }
            runs.add(kv.getValue());
        }
        return runs;
    }

    /** The map tasks among {@code maps} whose run of reduce partition {@code partition} is not in Redis. */
    public List<Integer> missingRuns(UUID jobId, int partition, List<MapRunRef> maps) {
        RedisAsyncCommands<byte[], byte[]> async = connection.async();
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

    /** Deletes every shuffle key of the job, of every attempt; returns how many there were. */
    public long deleteJob(UUID jobId) {
        RedisCommands<byte[], byte[]> sync = connection.sync();
        ScanArgs match = ScanArgs.Builder.matches(ShuffleKeys.jobPattern(jobId)).limit(1000);
        long deleted = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = sync.scan(cursor, match);
            if (!page.getKeys().isEmpty()) {
                deleted += sync.unlink(page.getKeys().toArray(new byte[0][]));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return deleted;
    }

    /** Whether Redis answers. */
    public boolean ping() {
        try {
            return "PONG".equals(connection.sync().ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
