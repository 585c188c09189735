package dev.mapreduce.engine.partition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x86 32-bit, seed 0: the same function as Guava's {@code Hashing.murmur3_32_fixed()}
 * (a test holds the two equal), written over byte ranges so the hot path allocates nothing.
 */
public final class Murmur3 {

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {}

    /** The 32-bit hash of {@code b[off, off + len)}. */
    public static int hash32(byte[] b, int off, int len) {
        int h = 0;
        int i = off;
        int blocksEnd = off + (len & ~3);
        for (; i < blocksEnd; i += 4) {
            h = mixH(h, mixK((int) INTS.get(b, i)));
            h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (len & 3) {
            case 3:
                k ^= (b[i + 2] & 0xFF) << 16;
            // fall through
            case 2:
                k ^= (b[i + 1] & 0xFF) << 8;
            // fall through
            case 1:
                k ^= b[i] & 0xFF;
                h = mixH(h, mixK(k));
                break;
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    private static int mixK(int k) {
        k *= C1;
        k = Integer.rotateLeft(k, 15);
        return k * C2;
    }

    private static int mixH(int h, int k) {
        return h ^ k;
    }
}
