package dev.mapreduce.runtime.redis;

import dev.mapreduce.runtime.MissingRunException;
import dev.mapreduce.runtime.ShuffleStoreException;
import dev.mapreduce.runtime.StoredRun;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One map run of a reduce partition in Redis, as {@link RedisShuffleStore#openRuns} found it: the bytes its
 * first read brought (all of a small run) and, for the rest, a stream that fetches the run's
 * keys a window at a time with {@code GETRANGE} as it is read. A key that is gone or shorter than
 * expected while being read is a {@link MissingRunException}.
 */
final class RedisStoredRun implements StoredRun {

    /**
     * Where the run is: the keys holding it, in order (the run's own key, or its chunks), their
     * lengths, and how much one read fetches.
     */
    private record Keys(
            int mapTask, RedisClusterCommands<byte[], byte[]> redis, byte[][] keys, long[] lengths, int windowBytes) {}

    private final Keys where;
    /** The first bytes of {@code keys[0]}, or {@code null}. */
    private final byte[] first;

    private final long size;

    RedisStoredRun(
            int mapTask,
            RedisClusterCommands<byte[], byte[]> redis,
            byte[][] keys,
            long[] lengths,
            byte[] first,
            int windowBytes) {
        this.where = new Keys(mapTask, redis, keys, lengths, windowBytes);
        this.first = first;
        this.size = Arrays.stream(lengths).sum();
    }

    @Override
    public int mapTask() {
        return where.mapTask();
    }

    /** The run's length in bytes. */
    @Override
    public long size() {
        return size;
    }

    /** The whole run, if the first read brought all of it; else {@code null}. */
    @Override
    public byte[] whole() {
        return first != null && first.length == size ? first : null;
    }

    /**
     * The run's bytes from the start; each read fetches at most the window. The first bytes are
     * let go once read, so a long run being merged holds one window. Not thread-safe.
     */
    @Override
    public InputStream open() {
        return new Stream(where, first);
    }

    /** Holds nothing of the StoredRun, so a merge keeps only what its streams hold. */
    private static final class Stream extends InputStream {

        private final int mapTask;
        private final RedisClusterCommands<byte[], byte[]> redis;
        private final byte[][] keys;
        private final long[] lengths;
        private final int windowBytes;
        private byte[] first;
        private int firstUsed;
        private int key;
        private long offset;

        Stream(Keys where, byte[] first) {
            this.mapTask = where.mapTask();
            this.redis = where.redis();
            this.keys = where.keys();
            this.lengths = where.lengths();
            this.windowBytes = where.windowBytes();
            this.first = first == null || first.length == 0 ? null : first;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (first != null) {
                int n = Math.min(len, first.length - firstUsed);
                System.arraycopy(first, firstUsed, b, off, n);
                firstUsed += n;
                offset += n;
                if (firstUsed == first.length) {
                    first = null;
                }
                return n;
            }
            while (key < keys.length && offset == lengths[key]) {
                key++;
                offset = 0;
            }
            if (key == keys.length) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, windowBytes), lengths[key] - offset);
            byte[] got;
            try {
                got = redis.getrange(keys[key], offset, offset + n - 1);
            } catch (RedisException e) {
                throw new ShuffleStoreException("cannot read shuffle run from Redis: " + e.getMessage(), e);
            }
            if (got.length != n) {
                throw new MissingRunException(
                        mapTask, new String(keys[key], StandardCharsets.UTF_8) + ", gone while being read");
            }
            System.arraycopy(got, 0, b, off, n);
            offset += n;
            return n;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }
    }
}
