package dev.mapreduce.engine.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Murmur3#hash32} is Guava's {@code murmur3_32_fixed}, byte for byte. */
class Murmur3Test {

    private static final HashFunction GUAVA = Hashing.murmur3_32_fixed();

    @Test
    void everyLengthUpToSixtyFourHashesAsGuava() {
        SplittableRandom random = new SplittableRandom(1);
        for (int len = 0; len <= 64; len++) {
            for (int round = 0; round < 50; round++) {
                byte[] bytes = new byte[len];
                random.nextBytes(bytes);
                assertThat(Murmur3.hash32(bytes, 0, len))
                        .as("length %d: %s", len, Arrays.toString(bytes))
                        .isEqualTo(GUAVA.hashBytes(bytes).asInt());
            }
        }
    }

    @Test
    void highBytesInTheTailAreNotSignExtended() {
        for (int len = 1; len <= 7; len++) {
            byte[] bytes = new byte[len];
            Arrays.fill(bytes, (byte) 0xFF);
            assertThat(Murmur3.hash32(bytes, 0, len))
                    .isEqualTo(GUAVA.hashBytes(bytes).asInt());
            Arrays.fill(bytes, (byte) 0x80);
            assertThat(Murmur3.hash32(bytes, 0, len))
                    .isEqualTo(GUAVA.hashBytes(bytes).asInt());
        }
    }

    @Test
    void aRangeAtAnOffsetHashesAsTheSameBytesAlone() {
        SplittableRandom random = new SplittableRandom(2);
        for (int len = 0; len <= 64; len++) {
            for (int off = 1; off <= 9; off++) {
                byte[] padded = new byte[off + len + random.nextInt(5)];
                random.nextBytes(padded);
                byte[] alone = Arrays.copyOfRange(padded, off, off + len);
                assertThat(Murmur3.hash32(padded, off, len))
                        .as("length %d at offset %d", len, off)
                        .isEqualTo(GUAVA.hashBytes(alone).asInt())
                        .isEqualTo(GUAVA.hashBytes(padded, off, len).asInt());
            }
        }
    }

    @Test
    void longRandomInputsHashAsGuava() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 200; round++) {
            byte[] bytes = new byte[random.nextInt(65, 5000)];
            random.nextBytes(bytes);
            assertThat(Murmur3.hash32(bytes, 0, bytes.length))
                    .isEqualTo(GUAVA.hashBytes(bytes).asInt());
        }
    }
}
