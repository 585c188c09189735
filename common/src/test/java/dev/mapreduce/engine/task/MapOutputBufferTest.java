package dev.mapreduce.engine.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.partition.Murmur3Partitioner;
import dev.mapreduce.engine.partition.Partitioner;
import dev.mapreduce.engine.shuffle.CounterCodec;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.shuffle.StateOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever the budget, the buffer's runs hold exactly what a naive per-partition aggregation
 * gives, each run sorted by unsigned bytes and holding only its partition's keys.
 */
class MapOutputBufferTest {

    @TempDir
    Path spillDir;

    private static final long TINY_BUDGET = 1024;
    /** Past this once the key arrays grow to 2048 entries, so the first spill holds many keys. */
    private static final long MEDIUM_BUDGET = 150_000;

    private static final long LARGE_BUDGET = 1L << 30;

    record Entry(String key, long a, long b) {}

    record Pair(byte[] key, long value) {}

    static Stream<Arguments> layouts() {
        return Stream.of(ReduceFunction.values())
                .flatMap(f -> Stream.of(1, 3, 8).flatMap(p -> Stream.of(TINY_BUDGET, MEDIUM_BUDGET, LARGE_BUDGET)
                        .map(budget -> Arguments.of(f, p, budget))));
    }

    /** Keys from a skewed vocabulary (ASCII, accented, CJK, empty, long) and values for {@code function}. */
    static List<Pair> randomPairs(SplittableRandom random, ReduceFunction function, int n) {
        String[] vocabulary = new String[200];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = switch (i % 5) {
                case 0 -> "word" + i;
                case 1 -> "ünï-" + i;
                case 2 -> "日本" + i;
                case 3 -> "k".repeat(i) + i;
                default -> Integer.toString(i * 7919, 36);
            };
        }
        vocabulary[0] = "";
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = random.nextInt(10) == 0
                    ? "unique-" + random.nextLong()
                    : vocabulary[Math.min(random.nextInt(vocabulary.length), random.nextInt(vocabulary.length))];
            long value =
                    switch (function) {
                        case SUM, AVG -> random.nextLong(-1_000_000, 1_000_000);
                        default ->
                            random.nextInt(8) == 0
                                    ? (random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)
                                    : random.nextLong();
                    };
            pairs.add(new Pair(key.getBytes(StandardCharsets.UTF_8), value));
        }
        return pairs;
    }

    /** Emits each pair from inside a larger array, then scribbles over it: the buffer must have copied. */
    static MapOutputBuffer emitAll(MapOutputBuffer buffer, List<Pair> pairs) {
        byte[] scratch = new byte[16];
        for (Pair p : pairs) {
            int off = p.key().length % 3;
            if (scratch.length < off + p.key().length) {
                scratch = new byte[(off + p.key().length) * 2];
            }
            System.arraycopy(p.key(), 0, scratch, off, p.key().length);
            buffer.emit(scratch, off, p.key().length, p.value());
            Arrays.fill(scratch, (byte) '#');
        }
        return buffer;
    }

    static List<List<Entry>> decode(MapRuns runs) throws IOException {
        try (runs) {
            return decode(runs.toArrays());
        }
    }

    static List<List<Entry>> decode(byte[][] runs) {
        List<List<Entry>> out = new ArrayList<>();
        for (byte[] run : runs) {
            List<Entry> entries = new ArrayList<>();
            if (run != null) {
                RunReader reader = new RunReader(run);
                while (reader.next()) {
                    entries.add(new Entry(utf8(reader.key(), reader.keyLength()), reader.a(), reader.b()));
                }
            }
            out.add(entries);
        }
        return out;
    }

    static List<List<Entry>> naiveAggregation(List<Pair> pairs, ReduceFunction function, int partitions) {
        List<Map<byte[], long[]>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new TreeMap<>(Arrays::compareUnsigned));
        }
        for (Pair pair : pairs) {
            int p = Murmur3Partitioner.INSTANCE.partition(pair.key(), 0, pair.key().length, partitions);
            long[] partial = byPartition.get(p).get(pair.key());
            if (partial == null) {
                byPartition.get(p).put(pair.key(), new long[] {function.first(pair.value()), function.firstCount()});
            } else {
                partial[0] = function.merge(partial[0], function.first(pair.value()));
                partial[1] = function.mergeCount(partial[1], function.firstCount());
            }
        }
        List<List<Entry>> out = new ArrayList<>();
        for (Map<byte[], long[]> m : byPartition) {
            List<Entry> entries = new ArrayList<>();
            m.forEach((key, partial) -> entries.add(new Entry(utf8(key, key.length), partial[0], partial[1])));
            out.add(entries);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, {1} partitions, budget {2}")
    @MethodSource("layouts")
    void combinedRunsEqualANaiveAggregationPerPartition(ReduceFunction function, int partitions, long budget)
            throws IOException {
        SplittableRandom random = new SplittableRandom(function.ordinal() * 100L + partitions);
        List<Pair> pairs = randomPairs(random, function, budget == TINY_BUDGET ? 1_500 : 10_000);
        MapOutputBuffer buffer = emitAll(
                new MapOutputBuffer(function, true, Murmur3Partitioner.INSTANCE, partitions, budget, spillDir), pairs);

        byte[][] runs;
        try (MapRuns output = buffer.finish()) {
            runs = output.toArrays();
        }

        assertThat(runs.length).isEqualTo(partitions);
        List<List<Entry>> expected = naiveAggregation(pairs, function, partitions);
        assertThat(decode(runs)).isEqualTo(expected);
        assertThat(buffer.emitted()).isEqualTo(pairs.size());
        assertThat(buffer.written())
                .isEqualTo(expected.stream().mapToLong(List::size).sum());
        for (int p = 0; p < partitions; p++) {
            assertThat(runs[p] == null)
                    .as("partition %d has no keys", p)
                    .isEqualTo(expected.get(p).isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}, {1} partitions, budget {2}")
    @MethodSource("layouts")
    void withoutTheCombinerEveryPairComesOutInSortedRuns(ReduceFunction function, int partitions, long budget)
            throws IOException {
        SplittableRandom random = new SplittableRandom(function.ordinal() * 100L + partitions + 50);
        List<Pair> pairs = randomPairs(random, function, budget == TINY_BUDGET ? 1_500 : 10_000);
        MapOutputBuffer buffer = emitAll(
                new MapOutputBuffer(function, false, Murmur3Partitioner.INSTANCE, partitions, budget, spillDir), pairs);

        List<List<Entry>> runs = decode(buffer.finish());

        List<List<Entry>> expected = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            expected.add(new ArrayList<>());
        }
        for (Pair pair : pairs) {
            int p = Murmur3Partitioner.INSTANCE.partition(pair.key(), 0, pair.key().length, partitions);
            expected.get(p)
                    .add(new Entry(
                            utf8(pair.key(), pair.key().length), function.first(pair.value()), function.firstCount()));
        }
        for (int p = 0; p < partitions; p++) {
            assertThat(runs.get(p)).isSortedAccordingTo(BY_KEY);
            assertThat(sorted(runs.get(p))).as("partition %d, as a multiset", p).isEqualTo(sorted(expected.get(p)));
        }
        assertThat(buffer.emitted()).isEqualTo(pairs.size());
        assertThat(buffer.written()).isEqualTo(pairs.size());
    }

    static Stream<Arguments> addedKeyLayouts() {
        return Stream.of(true, false).flatMap(combine -> Stream.of(1, 3).flatMap(p -> Stream.of(
                        TINY_BUDGET, MEDIUM_BUDGET, LARGE_BUDGET)
                .flatMap(budget -> Stream.of(50, 1_000_000).map(values -> Arguments.of(combine, p, budget, values)))));
    }

    @ParameterizedTest(name = "combine {0}, {1} partitions, budget {2}, {3} values")
    @MethodSource("addedKeyLayouts")
    void anAddedKeyIsInTheRunsOnceWithTheCombinerAndEachTimeWithout(
            boolean combine, int partitions, long budget, int values) throws IOException {
        SplittableRandom random = new SplittableRandom(partitions * 10L + (combine ? 1 : 0) + values);
        MapOutputBuffer buffer = new MapOutputBuffer(
                new CounterCodec(), combine, Murmur3Partitioner.INSTANCE, partitions, budget, spillDir);
        List<String> emitted = new ArrayList<>();
        int n = budget == TINY_BUDGET ? 1_500 : 30_000;
        for (int i = 0; i < n; i++) {
            // counted keys interleaved with added ones, both repeating, as a count(DISTINCT) query's are
            boolean add = random.nextBoolean();
            String key = (add ? "+" : "") + "k" + random.nextInt(add ? values : 50);
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            if (add) {
                buffer.add(bytes, 0, bytes.length);
            } else {
                ((long[]) buffer.state(bytes, 0, bytes.length))[0]++;
            }
            emitted.add(key);
        }
        // past the first adds, mostly new ones are appended, mostly known ones still looked up
        assertThat(buffer.appendsAdds()).isEqualTo(combine && budget != TINY_BUDGET && values > 50);
        List<Map<String, Long>> got = new ArrayList<>();
        long entries = 0;
        try (MapRuns runs = buffer.finish()) {
            for (byte[] run : runs.toArrays()) {
                Map<String, Long> counts = new TreeMap<>();
                byte[] previous = null;
                for (RunReader r = run == null ? null : new RunReader(run); r != null && r.next(); ) {
                    byte[] key = Arrays.copyOf(r.key(), r.keyLength());
                    assertThat(previous == null || Arrays.compareUnsigned(previous, key) <= 0)
                            .isTrue();
                    previous = key;
                    long state = new StateOutput.Input()
                            .reset(r.stateArray(), r.stateOffset(), r.stateLength())
                            .varLong();
                    String k = utf8(key, key.length);
                    // an added key's state is 0; a counted key's entries sum to its count
                    counts.merge(k, k.startsWith("+") ? 1 : state, Long::sum);
                    entries++;
                }
                got.add(counts);
            }
        }

        List<Map<String, Long>> expected = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            expected.add(new TreeMap<>());
        }
        for (String key : emitted) {
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            int p = Murmur3Partitioner.INSTANCE.partition(bytes, 0, bytes.length, partitions);
            expected.get(p).merge(key, 1L, (x, y) -> key.startsWith("+") && combine ? 1 : x + y);
        }
        assertThat(got).isEqualTo(expected);
        assertThat(buffer.emitted()).isEqualTo(n);
        assertThat(buffer.written()).isEqualTo(entries);
        if (combine) {
            assertThat(entries).isEqualTo(expected.stream().mapToLong(Map::size).sum());
        }
    }

    @Test
    void runsAreSortedByUnsignedBytesNotBySignedBytesOrChars() throws IOException {
        MapOutputBuffer buffer =
                new MapOutputBuffer(ReduceFunction.SUM, true, Murmur3Partitioner.INSTANCE, 1, LARGE_BUDGET, spillDir);
        for (String key : List.of("z", "é", "a", "", "日", "\uFFFD", "😀", "aa", "a\u0000")) {
            byte[] b = bytes(key);
            buffer.emit(b, 0, b.length, 1);
        }
        assertThat(decode(buffer.finish()).get(0))
                .extracting(Entry::key)
                .containsExactly("", "a", "a\u0000", "aa", "z", "é", "日", "\uFFFD", "😀");
    }

    @Test
    void keysLongerThanTheInitialArenaAreKeptWhole() throws IOException {
        String huge = "x".repeat(200_000);
        MapOutputBuffer buffer =
                new MapOutputBuffer(ReduceFunction.COUNT, true, Murmur3Partitioner.INSTANCE, 2, LARGE_BUDGET, spillDir);
        for (String key : List.of(huge, "small", huge, huge + "y")) {
            byte[] b = bytes(key);
            buffer.emit(b, 0, b.length, 42);
        }
        List<Entry> all = decode(buffer.finish()).stream().flatMap(List::stream).toList();
        assertThat(all)
                .containsExactlyInAnyOrder(
                        new Entry(huge, 2, 0), new Entry("small", 1, 0), new Entry(huge + "y", 1, 0));
        assertThat(buffer.written()).isEqualTo(3);
        assertThat(buffer.emitted()).isEqualTo(4);
    }

    @Test
    void aTaskThatEmitsNothingHasNoRuns() throws IOException {
        MapOutputBuffer buffer =
                new MapOutputBuffer(ReduceFunction.SUM, true, Murmur3Partitioner.INSTANCE, 4, TINY_BUDGET, spillDir);
        MapRuns runs = buffer.finish();
        assertThat(runs.partitions()).isEqualTo(4);
        assertThat(IntStream.range(0, 4).filter(runs::has)).isEmpty();
        assertThat(runs.onDisk()).isFalse();
        assertThat(buffer.written()).isZero();
        assertThat(buffer.emitted()).isZero();
    }

    /**
     * After a spill the buffer is empty, so a hot key emitted over and over must be combined in
     * memory again, not spilled once per emission. Each new buffer entry asks the partitioner once.
     */
    @Test
    void afterASpillAHotKeyIsCombinedAgainNotSpilledPerEmission() throws IOException {
        long[] partitionerCalls = new long[1];
        Partitioner counting = (key, off, len, n) -> {
            partitionerCalls[0]++;
            return Murmur3Partitioner.INSTANCE.partition(key, off, len, n);
        };
        MapOutputBuffer buffer = new MapOutputBuffer(ReduceFunction.SUM, true, counting, 2, 200_000, spillDir);
        for (int i = 0; i < 3_000; i++) { // enough distinct keys to pass the budget once
            byte[] key = bytes("warm-up-" + i);
            buffer.emit(key, 0, key.length, 1);
        }
        partitionerCalls[0] = 0;
        byte[] hot = bytes("hot");
        for (int i = 0; i < 10_000; i++) {
            buffer.emit(hot, 0, hot.length, 1);
        }

        assertThat(partitionerCalls[0])
                .as("buffer entries made for one hot key")
                .isLessThanOrEqualTo(10);
        List<Entry> all = decode(buffer.finish()).stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(3_001).contains(new Entry("hot", 10_000, 0));
    }

    /** Spilling changes where the runs are made, never what they hold: the bytes equal an unspilled buffer's. */
    @ParameterizedTest(name = "{0}, {1} partitions, budget {2}")
    @MethodSource("layouts")
    void aSpillingBufferWritesTheSameBytesAsOneThatNeverSpills(ReduceFunction function, int partitions, long budget)
            throws IOException {
        if (budget == LARGE_BUDGET) {
            return; // that is the buffer compared against
        }
        SplittableRandom random = new SplittableRandom(function.ordinal() * 100L + partitions + 77);
        List<Pair> pairs = randomPairs(random, function, budget == TINY_BUDGET ? 3_000 : 30_000);
        MapOutputBuffer inMemory = emitAll(
                new MapOutputBuffer(function, true, Murmur3Partitioner.INSTANCE, partitions, LARGE_BUDGET, spillDir),
                pairs);
        MapOutputBuffer spilling = emitAll(
                new MapOutputBuffer(function, true, Murmur3Partitioner.INSTANCE, partitions, budget, spillDir), pairs);

        try (MapRuns expected = inMemory.finish();
                MapRuns actual = spilling.finish()) {
            assertThat(expected.onDisk()).isFalse();
            assertThat(actual.onDisk()).isTrue();
            byte[][] expectedBytes = expected.toArrays();
            byte[][] actualBytes = actual.toArrays();
            for (int p = 0; p < partitions; p++) {
                assertThat(actualBytes[p]).as("partition %d", p).isEqualTo(expectedBytes[p]);
                assertThat(actual.size(p)).isEqualTo(expected.size(p));
            }
            assertThat(spilling.written()).isEqualTo(inMemory.written());
        }
    }

    @Test
    void theSpillFolderHoldsOnlyTheOutputAndGoesWhenItIsClosed() throws IOException {
        MapOutputBuffer buffer = emitAll(
                new MapOutputBuffer(ReduceFunction.SUM, true, Murmur3Partitioner.INSTANCE, 3, TINY_BUDGET, spillDir),
                randomPairs(new SplittableRandom(5), ReduceFunction.SUM, 5_000));
        MapRuns runs = buffer.finish();
        try (Stream<Path> files = Files.walk(spillDir)) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
        runs.close();
        try (Stream<Path> files = Files.list(spillDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aBufferClosedBeforeItFinishesDeletesItsSpills() throws IOException {
        MapOutputBuffer buffer = emitAll(
                new MapOutputBuffer(ReduceFunction.SUM, false, Murmur3Partitioner.INSTANCE, 2, TINY_BUDGET, spillDir),
                randomPairs(new SplittableRandom(6), ReduceFunction.SUM, 2_000));
        try (Stream<Path> files = Files.walk(spillDir)) {
            assertThat(files.filter(Files::isRegularFile)).isNotEmpty();
        }
        buffer.close();
        try (Stream<Path> files = Files.list(spillDir)) {
            assertThat(files).isEmpty();
        }
    }

    /** Millions of distinct keys through a 4 MB buffer: its arrays stay within 4 MB all along. */
    @Test
    void theArraysNeverGrowPastTheBudget() throws IOException {
        long budget = 4L << 20;
        MapOutputBuffer buffer =
                new MapOutputBuffer(ReduceFunction.SUM, true, Murmur3Partitioner.INSTANCE, 4, budget, spillDir);
        int keys = 1_000_000;
        long peak = 0;
        for (int i = 0; i < keys; i++) {
            byte[] key = bytes("key-" + i);
            buffer.emit(key, 0, key.length, i);
            peak = Math.max(peak, buffer.allocatedBytes());
        }
        assertThat(peak).isLessThanOrEqualTo(budget).isGreaterThan(budget / 4);
        try (MapRuns runs = buffer.finish()) {
            assertThat(runs.onDisk()).isTrue();
            long entries = 0;
            for (int p = 0; p < 4; p++) {
                RunReaderCount count = new RunReaderCount(runs, p);
                entries += count.entries;
            }
            assertThat(entries).isEqualTo(keys);
            assertThat(buffer.written()).isEqualTo(keys);
        }
    }

    /** Reads one partition's run streaming from the output file, counting its entries and checking its order. */
    private static final class RunReaderCount {

        long entries;

        RunReaderCount(MapRuns runs, int partition) {
            RunReader reader = runs.reader(partition, 4096);
            byte[] previous = null;
            while (reader.next()) {
                byte[] key = Arrays.copyOf(reader.key(), reader.keyLength());
                assertThat(previous == null || Arrays.compareUnsigned(previous, key) < 0)
                        .isTrue();
                previous = key;
                entries++;
            }
        }
    }

    private static final Comparator<Entry> BY_KEY = (x, y) -> Arrays.compareUnsigned(bytes(x.key()), bytes(y.key()));

    /** Sorted fully, so two lists hold the same multiset exactly when these are equal (fast for big lists). */
    private static List<Entry> sorted(List<Entry> entries) {
        List<Entry> copy = new ArrayList<>(entries);
        copy.sort(BY_KEY.thenComparingLong(Entry::a).thenComparingLong(Entry::b));
        return copy;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] b, int len) {
        return new String(b, 0, len, StandardCharsets.UTF_8);
    }
}
