package dev.mapreduce.engine.sql;

import java.lang.reflect.Field;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.kll.KllLongsSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * approx_quantile's state: a KLL sketch (k = {@value Aggregates#KLL_K}) of longs or doubles that gives
 * the same answer for the same input in every run. KLL compacts by coin flips, which DataSketches
 * draws from one JVM-wide {@link Random}; left alone, a map task re-run after a fault would keep
 * other items than the first run did, and the job's p95 would differ from a fault-free run's. So
 * every update and merge happens under one lock, with the coin reseeded from the sketch's item
 * count first: the flips then depend only on the input, in the order the task saw it. Updates are
 * buffered {@value #BATCH} at a time, so the lock is taken once per batch.
 */
final class Quantiles {

    private static final int BATCH = 256;
    private static final Object LOCK = new Object();
    private static final Random COIN = kllRandom();

    private final boolean doubles;
    private KllLongsSketch longSketch;
    private KllDoublesSketch doubleSketch;
    private long[] pendingLongs;
    private double[] pendingDoubles;
    private int pending;

    private Quantiles(boolean doubles) {
        this.doubles = doubles;
    }

    static Quantiles ofLongs() {
        Quantiles q = new Quantiles(false);
        q.longSketch = KllLongsSketch.newHeapInstance(Aggregates.KLL_K);
        q.pendingLongs = new long[BATCH];
        return q;
    }

    static Quantiles ofDoubles() {
        Quantiles q = new Quantiles(true);
        q.doubleSketch = KllDoublesSketch.newHeapInstance(Aggregates.KLL_K);
        q.pendingDoubles = new double[BATCH];
        return q;
    }

    /** A sketch serialized by {@link #toByteArray}. */
    static Quantiles heapify(boolean doubles, Memory m) {
        Quantiles q = doubles ? ofDoubles() : ofLongs();
        if (doubles) {
            q.doubleSketch = KllDoublesSketch.heapify(m);
        } else {
            q.longSketch = KllLongsSketch.heapify(m);
        }
        return q;
    }

    void update(long x) {
        pendingLongs[pending++] = x;
        if (pending == BATCH) {
            flush();
        }
    }

    void update(double x) {
        pendingDoubles[pending++] = x;
        if (pending == BATCH) {
            flush();
        }
    }

    /** Merges a sketch serialized by {@link #toByteArray}. */
    void merge(Memory m) {
        flush();
        synchronized (LOCK) {
            if (doubles) {
                KllDoublesSketch other = KllDoublesSketch.heapify(m);
                COIN.setSeed(doubleSketch.getN() * 31 + other.getN());
                doubleSketch.merge(other);
            } else {
                KllLongsSketch other = KllLongsSketch.heapify(m);
                COIN.setSeed(longSketch.getN() * 31 + other.getN());
                longSketch.merge(other);
            }
        }
    }

    byte[] toByteArray() {
        flush();
        return doubles ? doubleSketch.toByteArray() : longSketch.toByteArray();
    }

    /** The q-quantile (inclusive search): a Long or a Double as the sketch's items. */
    Object quantile(double q) {
        flush();
        return doubles
                ? (Object) doubleSketch.getQuantile(q, QuantileSearchCriteria.INCLUSIVE)
                : (Object) longSketch.getQuantile(q, QuantileSearchCriteria.INCLUSIVE);
    }

    private void flush() {
        if (pending == 0) {
            return;
        }
        synchronized (LOCK) {
            if (doubles) {
                COIN.setSeed(doubleSketch.getN());
                for (int i = 0; i < pending; i++) {
                    doubleSketch.update(pendingDoubles[i]);
                }
            } else {
                COIN.setSeed(longSketch.getN());
                for (int i = 0; i < pending; i++) {
                    longSketch.update(pendingLongs[i]);
                }
            }
        }
        pending = 0;
    }

    /** DataSketches' KLL coin ({@code KllSketch.random}, package-private and final, but its seed can be set). */
    private static Random kllRandom() {
        try {
            Field f = KllSketch.class.getDeclaredField("random");
            f.setAccessible(true);
            return (Random) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(
                    "approx_quantile needs DataSketches 6's KllSketch.random to be reproducible: " + e, e);
        }
    }
}
