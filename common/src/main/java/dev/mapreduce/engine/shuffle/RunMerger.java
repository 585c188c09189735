package dev.mapreduce.engine.shuffle;

import dev.mapreduce.engine.function.ReduceFunction;
import java.util.Arrays;
import java.util.List;

/**
 * A streaming k-way merge of runs: keys come out in ascending order, each once, with the
 * partials of all its entries merged by the reduce function. Memory is one current entry per
 * run, however many keys the runs hold.
 */
public final class RunMerger {

    private RunMerger() {}

    /** Merges {@code runs} into {@code sink}, combining equal keys; returns the number of entries read. */
    public static long merge(List<RunReader> runs, ReduceFunction function, PartialSink sink) {
        return merge(runs, function, true, sink);
    }

    /**
     * Merges {@code runs} into {@code sink}; with {@code combine} false, equal keys stay separate
     * entries (a map task without a combiner); returns the number of entries read.
     */
    public static long merge(List<RunReader> runs, ReduceFunction function, boolean combine, PartialSink sink) {
        RunReader[] heap = new RunReader[runs.size()];
        int n = 0;
        long read = 0;
        for (RunReader r : runs) {
            if (r.next()) {
                heap[n++] = r;
                read++;
            }
        }
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, n);
        }
        byte[] key = new byte[64];
        while (n > 0) {
            RunReader top = heap[0];
            int len = top.keyLength();
            if (len > key.length) {
                key = Arrays.copyOf(key, Math.max(len, key.length * 2));
            }
            System.arraycopy(top.key(), 0, key, 0, len);
            long a = top.a();
            long b = top.b();
            while (true) {
                if (top.next()) {
                    read++;
                    siftDown(heap, 0, n);
                } else {
                    heap[0] = heap[--n];
                    if (n == 0) {
                        break;
                    }
                    siftDown(heap, 0, n);
                }
                top = heap[0];
                if (!combine || top.keyLength() != len || !Arrays.equals(top.key(), 0, len, key, 0, len)) {
                    break;
                }
                a = function.merge(a, top.a());
                b = function.mergeCount(b, top.b());
            }
            sink.accept(key, len, a, b);
        }
        return read;
    }

    /**
     * Merges runs of aggregate states into {@code sink}: with {@code combine}, the states of equal
     * keys are folded into one by the codec; returns the number of entries read.
     */
    public static long mergeStates(List<RunReader> runs, StateCodec codec, boolean combine, StateSink sink) {
        RunReader[] heap = new RunReader[runs.size()];
        int n = 0;
        long read = 0;
        for (RunReader r : runs) {
            if (!r.hasStates()) {
                throw new CorruptRunException("a run of partials where aggregate states were expected");
            }
            if (r.next()) {
                heap[n++] = r;
                read++;
            }
        }
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, n);
        }
        byte[] key = new byte[64];
        while (n > 0) {
            RunReader top = heap[0];
            int len = top.keyLength();
            if (len > key.length) {
                key = Arrays.copyOf(key, Math.max(len, key.length * 2));
            }
            System.arraycopy(top.key(), 0, key, 0, len);
            Object state = codec.create(key, 0, len);
            codec.merge(state, top.stateArray(), top.stateOffset(), top.stateLength());
            while (true) {
                if (top.next()) {
                    read++;
                    siftDown(heap, 0, n);
                } else {
                    heap[0] = heap[--n];
                    if (n == 0) {
                        break;
                    }
                    siftDown(heap, 0, n);
                }
                top = heap[0];
                if (!combine || top.keyLength() != len || !Arrays.equals(top.key(), 0, len, key, 0, len)) {
                    break;
                }
                codec.merge(state, top.stateArray(), top.stateOffset(), top.stateLength());
            }
            sink.accept(key, len, state);
        }
        return read;
    }

    private static void siftDown(RunReader[] heap, int i, int n) {
        RunReader x = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && compare(heap[child + 1], heap[child]) < 0) {
                child++;
            }
            if (compare(heap[child], x) >= 0) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = x;
    }

    private static int compare(RunReader x, RunReader y) {
        return Arrays.compareUnsigned(x.key(), 0, x.keyLength(), y.key(), 0, y.keyLength());
    }
}
