package dev.mapreduce.engine.partition;

import java.nio.charset.StandardCharsets;

/**
 * The partitioner every worker uses: murmur3_32 (Guava's {@code murmur3_32_fixed}) of the key's
 * UTF-8 bytes, {@code Math.floorMod(hash, numPartitions)}. Changing it changes which reducer owns
 * which key, so a test pins its values.
 */
public final class Murmur3Partitioner implements Partitioner {

    public static final Murmur3Partitioner INSTANCE = new Murmur3Partitioner();

    private Murmur3Partitioner() {}

    @Override
    public int partition(byte[] key, int off, int len, int numPartitions) {
        return Math.floorMod(Murmur3.hash32(key, off, len), numPartitions);
    }

    /** Convenience for callers holding a {@code String} key. */
    public int partition(String key, int numPartitions) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return partition(bytes, 0, bytes.length, numPartitions);
    }
}
