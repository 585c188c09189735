package dev.mapreduce.engine.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * KeySort orders keys as an unsigned byte-by-byte comparison does, whatever they share, and equal
 * keys by index, as a stable sort does.
 */
class KeySortTest {

    @Test
    void sortsLikeAnUnsignedByteComparison() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 220; round++) {
            // the last rounds are long: a few groups of many keys, as a count(DISTINCT)'s table holds
            int n = round < 200 ? 1 + rnd.nextInt(300) : 2000 + rnd.nextInt(20_000);
            byte[][] keys = new byte[n][];
            // long shared starts (a group key before distinct values), zeros, high bytes, prefixes of each other
            byte[] common = new byte[rnd.nextInt(30)];
            rnd.nextBytes(common);
            for (int i = 0; i < n; i++) {
                int shared = rnd.nextInt(common.length + 1);
                byte[] k = Arrays.copyOf(common, shared + rnd.nextInt(20));
                for (int j = shared; j < k.length; j++) {
                    k[j] = new byte[] {0, 1, (byte) 0x80, (byte) 0xFF, 'a'}[rnd.nextInt(5)];
                }
                keys[i] = rnd.nextInt(10) == 0 && i > 0 ? keys[rnd.nextInt(i)].clone() : k;
            }
            byte[] arena = new byte[Arrays.stream(keys).mapToInt(k -> k.length).sum() + 3];
            int[] off = new int[n];
            int[] len = new int[n];
            int at = 3;
            for (int i = 0; i < n; i++) {
                off[i] = at;
                len[i] = keys[i].length;
                System.arraycopy(keys[i], 0, arena, at, len[i]);
                at += len[i];
            }
            int from = rnd.nextInt(n);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            new KeySort(arena, off, len, n).sort(idx, from, n);

            Integer[] expected = new Integer[n - from];
            for (int i = from; i < n; i++) {
                expected[i - from] = i;
            }
            Arrays.sort(expected, (x, y) -> Arrays.compareUnsigned(keys[x], keys[y])); // stable
            assertThat(Arrays.copyOfRange(idx, from, n))
                    .as("round %d", round)
                    .containsExactly(
                            Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
            for (int i = 0; i < from; i++) {
                assertThat(idx[i]).isEqualTo(i);
            }
        }
    }

    /** Orders a quicksort can meet at its worst: sorted, reversed, all equal, organ pipe. */
    @Test
    void sortsOrderedAndEqualInputsOfManyKeys() {
        int n = 200_000;
        for (int shape = 0; shape < 4; shape++) {
            byte[][] keys = new byte[n][];
            for (int i = 0; i < n; i++) {
                int v =
                        switch (shape) {
                            case 0 -> i;
                            case 1 -> n - i;
                            case 2 -> 7;
                            default -> Math.min(i, n - i);
                        };
                keys[i] = ("service-" + String.format("%09d", v)).getBytes(StandardCharsets.UTF_8);
            }
            byte[] arena = new byte[n * keys[0].length];
            int[] off = new int[n];
            int[] len = new int[n];
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                off[i] = i * keys[0].length;
                len[i] = keys[i].length;
                System.arraycopy(keys[i], 0, arena, off[i], len[i]);
                idx[i] = i;
            }
            new KeySort(arena, off, len, n).sort(idx, 0, n);
            for (int i = 1; i < n; i++) {
                int c = Arrays.compareUnsigned(keys[idx[i - 1]], keys[idx[i]]);
                assertThat(c < 0 || (c == 0 && idx[i - 1] < idx[i]))
                        .as("shape %d at %d", shape, i)
                        .isTrue();
            }
        }
    }
}
