package dev.mapreduce.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Test;

class QuantilesTest {

    private static long[] values(int n, long seed) {
        return new SplittableRandom(seed).longs(n, 0, 1_000_000).toArray();
    }

    private static Quantiles sketch(long[] values) {
        Quantiles q = Quantiles.ofLongs();
        for (long v : values) {
            q.update(v);
        }
        return q;
    }

    @Test
    void theSameInputGivesTheSameSketchWhileOtherThreadsUseTheirs() throws Exception {
        long[] values = values(2_000_000, 1);
        AtomicBoolean stop = new AtomicBoolean();
        Thread noise = new Thread(() -> {
            Quantiles other = Quantiles.ofDoubles();
            SplittableRandom r = new SplittableRandom(2);
            while (!stop.get()) {
                other.update(r.nextDouble());
            }
        });
        noise.start();
        try {
            byte[] first = sketch(values).toByteArray();
            byte[] second = sketch(values).toByteArray();
            assertThat(second).isEqualTo(first);
        } finally {
            stop.set(true);
            noise.join();
        }
    }

    @Test
    void mergesAreReproducibleAndTheQuantileIsWithinTheRankBound() {
        long[] a = values(700_000, 3);
        long[] b = values(900_000, 4);
        Object[] answers = new Object[2];
        for (int run = 0; run < 2; run++) {
            Quantiles merged = Quantiles.heapify(false, Memory.wrap(sketch(a).toByteArray()));
            merged.merge(Memory.wrap(sketch(b).toByteArray()));
            answers[run] = merged.quantile(0.95);
        }
        assertThat(answers[1]).isEqualTo(answers[0]);

        long[] all = new long[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        long p95 = (Long) answers[0];
        double rank = (double) Arrays.binarySearch(all, p95) / all.length;
        assertThat(Math.abs(Math.abs(rank) - 0.95)).isLessThan(0.0133 * 2);
    }
}
