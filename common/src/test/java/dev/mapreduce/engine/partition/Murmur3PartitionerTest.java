package dev.mapreduce.engine.partition;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins which reducer owns which key: the golden values were computed once, independently, with
 * Guava's {@code murmur3_32_fixed} and {@code Math.floorMod}, so any change of the hash fails here.
 */
class Murmur3PartitionerTest {

    private static final int[] PARTITION_COUNTS = {1, 2, 7, 64};

    /** key, Guava hash, then the partition for 1, 2, 7 and 64 partitions. */
    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of("", 0, new int[] {0, 0, 0, 0}),
                Arguments.of("a", 1009084850, new int[] {0, 0, 4, 50}),
                Arguments.of("b", -1780580861, new int[] {0, 1, 4, 3}),
                Arguments.of("error", 1678348498, new int[] {0, 0, 1, 18}),
                Arguments.of("ERROR", 1826334501, new int[] {0, 1, 5, 37}),
                Arguments.of("info", 1717991430, new int[] {0, 0, 1, 6}),
                Arguments.of("warn", -1038387438, new int[] {0, 0, 3, 18}),
                Arguments.of("api-gateway", -1770010917, new int[] {0, 1, 4, 27}),
                Arguments.of("order-service", 1258014906, new int[] {0, 0, 1, 58}),
                Arguments.of("payment-service", 75953533, new int[] {0, 1, 5, 61}),
                Arguments.of("user-service", -53421102, new int[] {0, 0, 0, 18}),
                Arguments.of("timeout", -785796854, new int[] {0, 0, 4, 10}),
                Arguments.of("connection refused", 489859833, new int[] {0, 1, 1, 57}),
                Arguments.of("NullPointerException", -45935478, new int[] {0, 0, 6, 10}),
                Arguments.of("http_5xx", -886718067, new int[] {0, 1, 3, 13}),
                Arguments.of("ünïcödé", 2069557956, new int[] {0, 0, 4, 4}),
                Arguments.of("日本語", -1515949417, new int[] {0, 1, 4, 23}),
                Arguments.of("emoji😀", 1617354569, new int[] {0, 1, 5, 9}),
                Arguments.of("key-with-a-much-longer-name-than-sixteen-bytes", 2047364990, new int[] {0, 0, 6, 62}),
                Arguments.of("0", -764297089, new int[] {0, 1, 4, 63}),
                Arguments.of("12345", 329585043, new int[] {0, 1, 4, 19}),
                Arguments.of("a b c", 1326861746, new int[] {0, 0, 0, 50}));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("golden")
    void keysLandOnTheirPinnedPartitions(String key, int hash, int[] expected) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        assertThat(Murmur3.hash32(bytes, 0, bytes.length)).isEqualTo(hash);
        for (int i = 0; i < PARTITION_COUNTS.length; i++) {
            int n = PARTITION_COUNTS[i];
            assertThat(Murmur3Partitioner.INSTANCE.partition(key, n))
                    .as("%d partitions", n)
                    .isEqualTo(expected[i]);
            assertThat(Murmur3Partitioner.INSTANCE.partition(bytes, 0, bytes.length, n))
                    .isEqualTo(expected[i]);
        }
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("golden")
    void pinnedPartitionsStillAgreeWithGuava(String key, int hash, int[] expected) {
        int guava = Hashing.murmur3_32_fixed()
                .hashString(key, StandardCharsets.UTF_8)
                .asInt();
        assertThat(guava).isEqualTo(hash);
        for (int i = 0; i < PARTITION_COUNTS.length; i++) {
            assertThat(Math.floorMod(guava, PARTITION_COUNTS[i])).isEqualTo(expected[i]);
        }
    }

    @Test
    void aKeyAtAnOffsetIsPartitionedAsTheKeyAlone() {
        byte[] padded = "xx:order-service:yy".getBytes(StandardCharsets.UTF_8);
        assertThat(Murmur3Partitioner.INSTANCE.partition(padded, 3, "order-service".length(), 64))
                .isEqualTo(58);
    }

    @Test
    void everyPartitionIsInRangeEvenForNegativeHashes() {
        SplittableRandom random = new SplittableRandom(4);
        int negatives = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] key = new byte[random.nextInt(0, 40)];
            random.nextBytes(key);
            int hash = Murmur3.hash32(key, 0, key.length);
            if (hash < 0) {
                negatives++;
            }
            for (int n : new int[] {1, 2, 3, 7, 10, 64, 1000, Integer.MAX_VALUE}) {
                int p = Murmur3Partitioner.INSTANCE.partition(key, 0, key.length, n);
                assertThat(p).isBetween(0, n - 1).isEqualTo(Math.floorMod(hash, n));
            }
        }
        assertThat(negatives).as("negative hashes were exercised").isGreaterThan(5_000);
    }
}
