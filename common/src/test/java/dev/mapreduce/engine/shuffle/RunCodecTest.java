package dev.mapreduce.engine.shuffle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link RunWriter} and {@link RunReader} round-trip every run, and the reader refuses damaged ones. */
class RunCodecTest {

    record Entry(byte[] key, long a, long b) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && Arrays.equals(key, e.key) && a == e.a && b == e.b;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key) * 31 + Long.hashCode(a) * 7 + Long.hashCode(b);
        }

        @Override
        public String toString() {
            return Arrays.toString(key) + "=(" + a + ", " + b + ")";
        }
    }

    static List<Entry> randomSortedEntries(SplittableRandom random, int n, boolean withCount) {
        List<byte[]> keys = new ArrayList<>();
        byte[] previous = new byte[0];
        for (int i = 0; i < n; i++) {
            byte[] key =
                    switch (random.nextInt(6)) {
                        case 0 -> new byte[0];
                        case 1 -> { // shares a prefix with the previous key
                            byte[] k = Arrays.copyOf(previous, random.nextInt(previous.length + 1) + random.nextInt(4));
                            for (int j = Math.min(previous.length, k.length); j < k.length; j++) {
                                k[j] = (byte) random.nextInt(256);
                            }
                            yield k;
                        }
                        case 2 -> randomBytes(random, random.nextInt(200, 3000)); // long
                        case 3 -> previous.clone(); // equal to the previous one
                        default -> randomBytes(random, random.nextInt(0, 12));
                    };
            keys.add(key);
            previous = key;
        }
        keys.sort(Arrays::compareUnsigned);
        List<Entry> entries = new ArrayList<>();
        for (byte[] key : keys) {
            entries.add(new Entry(key, randomLong(random), withCount ? randomLong(random) : 0));
        }
        return entries;
    }

    static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            // a small alphabet makes shared prefixes common; the rest covers bytes >= 0x80
            b[i] = random.nextBoolean() ? (byte) ('a' + random.nextInt(3)) : (byte) random.nextInt(256);
        }
        return b;
    }

    static long randomLong(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> Long.MIN_VALUE + random.nextInt(3);
            case 1 -> Long.MAX_VALUE - random.nextInt(3);
            case 2 -> -random.nextInt(1000);
            case 3 -> random.nextInt(1000);
            default -> random.nextLong();
        };
    }

    /** The entries with keys cut to 16 bytes, still in order, so runs are small enough to damage byte by byte. */
    static List<Entry> shortKeys(List<Entry> entries) {
        return entries.stream()
                .map(e -> new Entry(Arrays.copyOf(e.key(), Math.min(16, e.key().length)), e.a(), e.b()))
                .toList();
    }

    static byte[] encode(List<Entry> entries, boolean withCount) {
        RunWriter writer = new RunWriter(withCount, 16);
        for (Entry e : entries) {
            writer.add(e.key(), 0, e.key().length, e.a(), e.b());
        }
        assertThat(writer.entries()).isEqualTo(entries.size());
        int size = writer.size();
        byte[] run = writer.finish();
        assertThat(run).hasSize(size);
        return run;
    }

    static List<Entry> decode(byte[] run) {
        RunReader reader = new RunReader(run);
        List<Entry> out = new ArrayList<>();
        while (reader.next()) {
            out.add(new Entry(Arrays.copyOf(reader.key(), reader.keyLength()), reader.a(), reader.b()));
        }
        assertThat(out).hasSize(reader.entries());
        return out;
    }

    @Test
    void randomRunsRoundTripWithAndWithoutCount() {
        SplittableRandom random = new SplittableRandom(10);
        for (int round = 0; round < 300; round++) {
            boolean withCount = round % 2 == 0;
            List<Entry> entries = randomSortedEntries(random, random.nextInt(0, 120), withCount);
            assertThat(decode(encode(entries, withCount))).as("round %d", round).isEqualTo(entries);
        }
    }

    @Test
    void withoutCountEveryBReadsAsZero() {
        RunWriter writer = new RunWriter(false);
        writer.add(bytes("k"), 0, 1, 5, 99);
        List<Entry> decoded = decode(writer.finish());
        assertThat(decoded).containsExactly(new Entry(bytes("k"), 5, 0));
    }

    @Test
    void extremeValuesRoundTrip() {
        List<Entry> entries = new ArrayList<>();
        long[] values = {
            0, 1, -1, 63, -64, 64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE
        };
        for (int i = 0; i < values.length; i++) {
            entries.add(new Entry(bytes("k" + (char) ('a' + i)), values[i], values[values.length - 1 - i]));
        }
        assertThat(decode(encode(entries, true))).isEqualTo(entries);
    }

    @Test
    void anEmptyRunHasNoEntries() {
        byte[] run = new RunWriter(true).finish();
        RunReader reader = new RunReader(run);
        assertThat(reader.entries()).isZero();
        assertThat(reader.next()).isFalse();
        assertThat(reader.next()).isFalse();
    }

    @Test
    void theEmptyKeyRoundTripsFirstAndRepeated() {
        List<Entry> entries =
                List.of(new Entry(new byte[0], 1, 0), new Entry(new byte[0], 2, 0), new Entry(bytes("a"), 3, 0));
        assertThat(decode(encode(entries, false))).isEqualTo(entries);
    }

    @Test
    void aKeyAtAnOffsetIsEncodedAsTheKeyAlone() {
        RunWriter writer = new RunWriter(false);
        byte[] buf = bytes("..alpha..beta..");
        writer.add(buf, 2, 5, 1, 0);
        writer.add(buf, 9, 4, 2, 0);
        assertThat(decode(writer.finish()))
                .containsExactly(new Entry(bytes("alpha"), 1, 0), new Entry(bytes("beta"), 2, 0));
    }

    @Test
    void keysAreOrderedAsUnsignedBytes() {
        RunWriter writer = new RunWriter(false);
        writer.add(new byte[] {0x7F}, 0, 1, 1, 0);
        writer.add(new byte[] {(byte) 0x80}, 0, 1, 2, 0);
        writer.add(new byte[] {(byte) 0xFF}, 0, 1, 3, 0);
        assertThat(decode(writer.finish())).extracting(Entry::a).containsExactly(1L, 2L, 3L);
        RunWriter signedOrder = new RunWriter(false);
        signedOrder.add(new byte[] {(byte) 0x80}, 0, 1, 1, 0);
        assertThatThrownBy(() -> signedOrder.add(new byte[] {0x7F}, 0, 1, 2, 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writerRejectsDescendingKeys() {
        RunWriter writer = new RunWriter(false);
        writer.add(bytes("b"), 0, 1, 1, 0);
        assertThatThrownBy(() -> writer.add(bytes("a"), 0, 1, 1, 0)).isInstanceOf(IllegalStateException.class);
        RunWriter prefix = new RunWriter(false);
        prefix.add(bytes("ab"), 0, 2, 1, 0);
        assertThatThrownBy(() -> prefix.add(bytes("a"), 0, 1, 1, 0)).isInstanceOf(IllegalStateException.class);
        RunWriter empty = new RunWriter(false);
        empty.add(bytes("a"), 0, 1, 1, 0);
        assertThatThrownBy(() -> empty.add(new byte[0], 0, 0, 1, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writerAllowsEqualConsecutiveKeys() {
        RunWriter writer = new RunWriter(true);
        assertThatCode(() -> {
                    writer.add(bytes("same"), 0, 4, 1, 1);
                    writer.add(bytes("same"), 0, 4, 2, 2);
                    writer.add(bytes("same"), 0, 4, 3, 3);
                })
                .doesNotThrowAnyException();
        assertThat(decode(writer.finish())).extracting(Entry::a).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aFlippedBitAnywhereInTheBodyIsDetected() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] run = encode(shortKeys(randomSortedEntries(random, 40, true)), true);
        for (int i = RunFormat.HEADER_BYTES; i < run.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = run.clone();
                damaged[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> decode(damaged))
                        .as("bit %d of byte %d", bit, i)
                        .isInstanceOf(CorruptRunException.class);
            }
        }
    }

    @Test
    void aDamagedChecksumIsDetected() {
        byte[] run = encode(List.of(new Entry(bytes("k"), 1, 0)), false);
        for (int i = 8; i < 12; i++) {
            byte[] damaged = run.clone();
            damaged[i] ^= 0x10;
            assertThatThrownBy(() -> new RunReader(damaged)).isInstanceOf(CorruptRunException.class);
        }
    }

    @Test
    void everyTruncationIsDetected() {
        SplittableRandom random = new SplittableRandom(12);
        byte[] run = encode(shortKeys(randomSortedEntries(random, 30, false)), false);
        for (int len = 0; len < run.length; len++) {
            byte[] truncated = Arrays.copyOf(run, len);
            assertThatThrownBy(() -> decode(truncated))
                    .as("truncated to %d of %d bytes", len, run.length)
                    .isInstanceOf(CorruptRunException.class);
        }
    }

    @Test
    void trailingBytesAreDetected() {
        byte[] run = encode(List.of(new Entry(bytes("k"), 1, 0)), false);
        byte[] longer = Arrays.copyOf(run, run.length + 1);
        assertThatThrownBy(() -> decode(longer)).isInstanceOf(CorruptRunException.class);
    }

    @Test
    void aWrongEntryCountIsDetected() {
        byte[] run = encode(List.of(new Entry(bytes("a"), 1, 0), new Entry(bytes("b"), 2, 0)), false);
        for (int entries : new int[] {0, 1, 3, -1, Integer.MAX_VALUE}) {
            byte[] damaged = run.clone();
            RunWriter.putInt(damaged, 4, entries);
            assertThatThrownBy(() -> decode(damaged)).as("%d entries", entries).isInstanceOf(CorruptRunException.class);
        }
    }

    /**
     * The count flag lives in the header, outside the CRC: flipping it makes this run of one key
     * read as two different keys, out of order, with no error.
     */
    @Test
    void aFlippedCountFlagIsDetected() {
        byte[] key = {1, 0};
        byte[] run = encode(List.of(new Entry(key, -1, 0), new Entry(key, 1, 1)), true);
        byte[] damaged = run.clone();
        damaged[3] ^= RunFormat.FLAG_WITH_COUNT;
        assertThatThrownBy(() -> decode(damaged)).isInstanceOf(CorruptRunException.class);
    }

    @Test
    void badMagicIsDetected() {
        byte[] run = encode(List.of(new Entry(bytes("k"), 1, 0)), false);
        for (int i = 0; i < 2; i++) {
            byte[] damaged = run.clone();
            damaged[i] = 'X';
            assertThatThrownBy(() -> new RunReader(damaged))
                    .isInstanceOf(CorruptRunException.class)
                    .hasMessageContaining("magic");
        }
        assertThatThrownBy(() -> new RunReader(bytes("{\"not\":\"a run\"}"))).isInstanceOf(CorruptRunException.class);
    }

    @Test
    void anUnknownVersionIsDetected() {
        byte[] run = encode(List.of(new Entry(bytes("k"), 1, 0)), false);
        for (byte version : new byte[] {0, 2, (byte) 0xFF}) {
            byte[] damaged = run.clone();
            damaged[2] = version;
            assertThatThrownBy(() -> new RunReader(damaged))
                    .isInstanceOf(CorruptRunException.class)
                    .hasMessageContaining("version");
        }
    }

    @Test
    void theHeaderIsBigEndianAsDocumented() {
        byte[] run = encode(List.of(new Entry(bytes("a"), 1, 1), new Entry(bytes("b"), 2, 1)), true);
        assertThat(run[0]).isEqualTo((byte) 'M');
        assertThat(run[1]).isEqualTo((byte) 'R');
        assertThat(run[2]).isEqualTo((byte) 1);
        assertThat(run[3]).isEqualTo((byte) RunFormat.FLAG_WITH_COUNT);
        assertThat(Arrays.copyOfRange(run, 4, 8)).containsExactly(0, 0, 0, 2);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
