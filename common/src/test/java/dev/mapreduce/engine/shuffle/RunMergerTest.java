package dev.mapreduce.engine.shuffle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.shuffle.RunCodecTest.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The k-way merge equals a naive merge through a sorted map, for every reduce function. */
class RunMergerTest {

    /** A random run of partials that {@code function} could have produced. */
    static List<Entry> randomRun(SplittableRandom random, ReduceFunction function, int maxEntries) {
        int n = random.nextInt(0, maxEntries + 1);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[random.nextInt(0, 4)];
            for (int j = 0; j < key.length; j++) {
                // a small alphabet, so runs share many keys; 0x80 and 0xFF check the unsigned order
                key[j] = new byte[] {'a', 'b', 'c', (byte) 0x80, (byte) 0xFF}[random.nextInt(5)];
            }
            keys.add(key);
        }
        keys.sort(Arrays::compareUnsigned);
        List<Entry> run = new ArrayList<>();
        for (byte[] key : keys) {
            long a =
                    switch (function) {
                        case COUNT -> random.nextLong(1, 1000);
                        case MIN, MAX ->
                            random.nextInt(4) == 0
                                    ? (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)
                                    : random.nextLong();
                        case SUM, AVG -> random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
                    };
            long b = function == ReduceFunction.AVG ? random.nextLong(1, 1000) : 0;
            run.add(new Entry(key, a, b));
        }
        return run;
    }

    static List<RunReader> readers(List<List<Entry>> runs, ReduceFunction function) {
        List<RunReader> readers = new ArrayList<>();
        for (List<Entry> run : runs) {
            readers.add(new RunReader(RunCodecTest.encode(run, function.usesCount())));
        }
        return readers;
    }

    static List<Entry> merge(List<List<Entry>> runs, ReduceFunction function, boolean combine, long[] read) {
        List<Entry> out = new ArrayList<>();
        read[0] = RunMerger.merge(
                readers(runs, function),
                function,
                combine,
                (key, len, a, b) -> out.add(new Entry(Arrays.copyOf(key, len), a, b)));
        return out;
    }

    static List<Entry> naiveMerge(List<List<Entry>> runs, ReduceFunction function) {
        Map<byte[], long[]> merged = new TreeMap<>(Arrays::compareUnsigned);
        for (List<Entry> run : runs) {
            for (Entry e : run) {
                long[] partial = merged.get(e.key());
                if (partial == null) {
                    merged.put(e.key(), new long[] {e.a(), e.b()});
                } else {
                    partial[0] = function.merge(partial[0], e.a());
                    partial[1] = function.mergeCount(partial[1], e.b());
                }
            }
        }
        List<Entry> out = new ArrayList<>();
        merged.forEach((key, partial) -> out.add(new Entry(key, partial[0], partial[1])));
        return out;
    }

    @ParameterizedTest
    @EnumSource(ReduceFunction.class)
    void mergingRandomRunsEqualsANaiveMerge(ReduceFunction function) {
        SplittableRandom random = new SplittableRandom(20 + function.ordinal());
        for (int round = 0; round < 300; round++) {
            List<List<Entry>> runs = new ArrayList<>();
            int k = random.nextInt(0, 12);
            for (int i = 0; i < k; i++) {
                runs.add(randomRun(random, function, random.nextBoolean() ? 5 : 60));
            }
            long[] read = new long[1];
            List<Entry> merged = merge(runs, function, true, read);
            assertThat(merged).as("round %d, %d runs", round, k).isEqualTo(naiveMerge(runs, function));
            assertThat(read[0]).isEqualTo(runs.stream().mapToLong(List::size).sum());
        }
    }

    @ParameterizedTest
    @EnumSource(ReduceFunction.class)
    void withoutCombiningEveryEntryComesOutInKeyOrder(ReduceFunction function) {
        SplittableRandom random = new SplittableRandom(40 + function.ordinal());
        for (int round = 0; round < 200; round++) {
            List<List<Entry>> runs = new ArrayList<>();
            int k = random.nextInt(0, 10);
            for (int i = 0; i < k; i++) {
                runs.add(randomRun(random, function, 40));
            }
            long[] read = new long[1];
            List<Entry> merged = merge(runs, function, false, read);
            List<Entry> all = runs.stream().flatMap(List::stream).toList();
            assertThat(merged).as("round %d", round).containsExactlyInAnyOrderElementsOf(all);
            assertThat(merged).isSortedAccordingTo((x, y) -> Arrays.compareUnsigned(x.key(), y.key()));
            assertThat(read[0]).isEqualTo(all.size());
        }
    }

    @Test
    void averagePartialsAddSumsAndCounts() {
        List<List<Entry>> runs = List.of(
                List.of(new Entry(new byte[] {'k'}, 10, 2)),
                List.of(new Entry(new byte[] {'k'}, 5, 1), new Entry(new byte[] {'z'}, 7, 1)),
                List.of(new Entry(new byte[] {'k'}, 1, 3)));
        List<Entry> merged = merge(runs, ReduceFunction.AVG, true, new long[1]);
        assertThat(merged).containsExactly(new Entry(new byte[] {'k'}, 16, 6), new Entry(new byte[] {'z'}, 7, 1));
        assertThat(ReduceFunction.AVG.result(16, 6)).isEqualTo("2.666667");
    }

    @Test
    void equalKeysWithinOneRunAreCombinedToo() {
        List<List<Entry>> runs = List.of(List.of(
                new Entry(new byte[] {'a'}, 1, 0),
                new Entry(new byte[] {'a'}, 2, 0),
                new Entry(new byte[] {'b'}, 4, 0)));
        assertThat(merge(runs, ReduceFunction.SUM, true, new long[1]))
                .containsExactly(new Entry(new byte[] {'a'}, 3, 0), new Entry(new byte[] {'b'}, 4, 0));
    }

    @Test
    void emptyRunsContributeNothing() {
        List<List<Entry>> runs = List.of(
                List.of(),
                List.of(new Entry(new byte[] {'a'}, 1, 0)),
                List.of(),
                List.of(new Entry(new byte[] {'a'}, 2, 0)));
        long[] read = new long[1];
        assertThat(merge(runs, ReduceFunction.MAX, true, read)).containsExactly(new Entry(new byte[] {'a'}, 2, 0));
        assertThat(read[0]).isEqualTo(2);
        assertThat(merge(List.of(List.of(), List.of()), ReduceFunction.SUM, true, read))
                .isEmpty();
        assertThat(read[0]).isZero();
    }

    @Test
    void zeroRunsMergeToNothing() {
        long[] read = new long[1];
        assertThat(merge(List.of(), ReduceFunction.SUM, true, read)).isEmpty();
        assertThat(read[0]).isZero();
    }

    @Test
    void keysLongerThanTheMergeBufferAreKeptWhole() {
        byte[] longKey = new byte[5000];
        Arrays.fill(longKey, (byte) 'x');
        byte[] longer = Arrays.copyOf(longKey, 9000);
        List<List<Entry>> runs =
                List.of(List.of(new Entry(longKey, 1, 0), new Entry(longer, 1, 0)), List.of(new Entry(longKey, 2, 0)));
        assertThat(merge(runs, ReduceFunction.SUM, true, new long[1]))
                .containsExactly(new Entry(longKey, 3, 0), new Entry(longer, 1, 0));
    }
}
