package dev.mapreduce.engine.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** KeySort orders keys as an unsigned byte-by-byte comparison does, whatever they share. */
class KeySortTest {

    @Test
    void sortsLikeAnUnsignedByteComparison() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + rnd.nextInt(300);
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

            byte[][] expected = Arrays.copyOfRange(keys, from, n);
            Arrays.sort(expected, Arrays::compareUnsigned);
            byte[][] got = new byte[n - from][];
            for (int i = from; i < n; i++) {
                got[i - from] = keys[idx[i]];
            }
            assertThat(got).as("round %d", round).isDeepEqualTo(expected);
            for (int i = 0; i < from; i++) {
                assertThat(idx[i]).isEqualTo(i);
            }
        }
    }
}
