package dev.mapreduce.engine.shuffle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * {@link RunWriter} and {@link RunReader} round-trip every run, in memory and streamed, and the
 * reader refuses damaged ones, either way.
 */
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
        byte[] run = writer.finish();
        assertThat(writer.size()).isEqualTo(run.length);
        return run;
    }

    /** The run's entries read from memory and, streamed in uneven pieces, read again: both must agree. */
    static List<Entry> decode(byte[] run) {
        List<Entry> inMemory = read(new RunReader(run));
        List<Entry> streamed = read(streamed(run, 7));
        assertThat(streamed).isEqualTo(inMemory);
        return inMemory;
    }

    static List<Entry> read(RunReader reader) {
        List<Entry> out = new ArrayList<>();
        while (reader.next()) {
            out.add(new Entry(Arrays.copyOf(reader.key(), reader.keyLength()), reader.a(), reader.b()));
        }
        assertThat(out).hasSize((int) reader.entries());
        return out;
    }

    /** A reader with a small buffer over a stream that hands out at most {@code piece} bytes a call. */
    static RunReader streamed(byte[] run, int piece) {
        return new RunReader(new Trickle(run, piece), 100, 42);
    }

    /** Gives its bytes a few at a time, as a network stream may. */
    static final class Trickle extends InputStream {

        private final byte[] bytes;
        private final int piece;
        private int pos;

        Trickle(byte[] bytes, int piece) {
            this.bytes = bytes;
            this.piece = piece;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, piece), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** A run of several blocks: enough entries with 100-byte keys to pass the block size 4 times. */
    static List<Entry> manyBlocks(SplittableRandom random) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 4 * RunFormat.BLOCK_BYTES / 100; i++) {
            byte[] key = String.format("%08d", i).concat("k".repeat(92)).getBytes(StandardCharsets.UTF_8);
            entries.add(new Entry(key, random.nextLong(), 0));
        }
        return entries;
    }

    /** Entries in the blocks of a run without counts in {@code run[from, to)}, parsed by hand. */
    static int entriesIn(byte[] run, int from, int to) {
        int count = 0;
        int at = from;
        while (at < to) {
            int end = at + RunFormat.BLOCK_HEADER_BYTES + RunFormat.getInt(run, at);
            at += RunFormat.BLOCK_HEADER_BYTES;
            while (at < end) {
                at = skipVarint(run, at); // shared
                int suffix = 0;
                for (int shift = 0; ; shift += 7) {
                    suffix |= (run[at] & 0x7F) << shift;
                    if (run[at++] >= 0) {
                        break;
                    }
                }
                at = skipVarint(run, at + suffix); // a
                count++;
            }
        }
        return count;
    }

    static int skipVarint(byte[] b, int at) {
        while (b[at] < 0) {
            at++;
        }
        return at + 1;
    }

    /** Offsets of each block's length field, then of the trailer. */
    static List<Integer> blockStarts(byte[] run) {
        List<Integer> starts = new ArrayList<>();
        int at = RunFormat.HEADER_BYTES;
        while (true) {
            starts.add(at);
            int length = RunFormat.getInt(run, at);
            if (length == 0) {
                return starts;
            }
            at += RunFormat.BLOCK_HEADER_BYTES + length;
        }
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
    void aFlippedBitAnywhereAfterTheHeaderIsDetected() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] run = encode(shortKeys(randomSortedEntries(random, 40, true)), true);
        for (int i = RunFormat.HEADER_BYTES; i < run.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] damaged = run.clone();
                damaged[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> new RunReader(damaged))
                        .as("bit %d of byte %d", bit, i)
                        .isInstanceOf(CorruptRunException.class);
                assertThatThrownBy(() -> read(streamed(damaged, 6)))
                        .as("bit %d of byte %d, streamed", bit, i)
                        .isInstanceOf(CorruptRunException.class);
            }
        }
    }

    @Test
    void aDamagedChecksumIsDetected() {
        byte[] run = encode(List.of(new Entry(bytes("k"), 1, 0)), false);
        for (int i : new int[] {8, 9, 10, 11, run.length - 4, run.length - 1}) {
            byte[] damaged = run.clone();
            damaged[i] ^= 0x10;
            assertThatThrownBy(() -> new RunReader(damaged)).isInstanceOf(CorruptRunException.class);
            assertThatThrownBy(() -> read(streamed(damaged, 3))).isInstanceOf(CorruptRunException.class);
        }
    }

    @Test
    void everyTruncationIsDetected() {
        SplittableRandom random = new SplittableRandom(12);
        byte[] run = encode(shortKeys(randomSortedEntries(random, 30, false)), false);
        for (int len = 0; len < run.length; len++) {
            byte[] truncated = Arrays.copyOf(run, len);
            assertThatThrownBy(() -> new RunReader(truncated))
                    .as("truncated to %d of %d bytes", len, run.length)
                    .isInstanceOf(CorruptRunException.class);
            assertThatThrownBy(() -> read(streamed(truncated, 4)))
                    .as("truncated to %d of %d bytes, streamed", len, run.length)
                    .isInstanceOf(CorruptRunException.class);
        }
    }

    @Test
    void aRunOfManyBlocksCutAtABlockBoundaryIsDetected() {
        byte[] run = encode(manyBlocks(new SplittableRandom(17)), false);
        for (int start : blockStarts(run)) {
            byte[] truncated = Arrays.copyOf(run, start);
            assertThatThrownBy(() -> new RunReader(truncated)).isInstanceOf(CorruptRunException.class);
            assertThatThrownBy(() -> read(streamed(truncated, 4096))).isInstanceOf(CorruptRunException.class);
        }
    }

    @Test
    void trailingBytesAreDetected() {
        byte[] run = encode(List.of(new Entry(bytes("k"), 1, 0)), false);
        byte[] longer = Arrays.copyOf(run, run.length + 1);
        assertThatThrownBy(() -> new RunReader(longer)).isInstanceOf(CorruptRunException.class);
        assertThatThrownBy(() -> read(streamed(longer, 1)))
                .isInstanceOf(CorruptRunException.class)
                .hasMessageContaining("after its trailer");
    }

    /** A trailer whose count is wrong but whose checksum matches it: the count itself is checked. */
    @Test
    void aWrongEntryCountIsDetected() {
        byte[] run = encode(List.of(new Entry(bytes("a"), 1, 0), new Entry(bytes("b"), 2, 0)), false);
        int lastBlockChecksum = RunFormat.getInt(run, RunFormat.HEADER_BYTES + 4);
        for (long entries : new long[] {0, 1, 3, -1, Integer.MAX_VALUE, Long.MAX_VALUE}) {
            byte[] damaged = run.clone();
            RunFormat.putLong(damaged, run.length - 12, entries);
            RunFormat.putInt(
                    damaged, run.length - 4, RunFormat.trailerChecksum(new CRC32C(), lastBlockChecksum, entries));
            assertThatThrownBy(() -> read(new RunReader(damaged)))
                    .as("%d entries", entries)
                    .isInstanceOf(CorruptRunException.class)
                    .hasMessageContaining("trailer says " + entries);
            assertThatThrownBy(() -> read(streamed(damaged, 5)))
                    .as("%d entries, streamed", entries)
                    .isInstanceOf(CorruptRunException.class)
                    .hasMessageContaining("trailer says " + entries);
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
        assertThatThrownBy(() -> new RunReader(damaged)).isInstanceOf(CorruptRunException.class);
        RunReader streamed = streamed(damaged, 64);
        assertThatThrownBy(streamed::next).isInstanceOf(CorruptRunException.class);
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
        for (byte version : new byte[] {0, 1, 3, (byte) 0xFF}) {
            byte[] damaged = run.clone();
            damaged[2] = version;
            assertThatThrownBy(() -> new RunReader(damaged))
                    .isInstanceOf(CorruptRunException.class)
                    .hasMessageContaining("version");
            assertThatThrownBy(() -> streamed(damaged, 2))
                    .isInstanceOf(CorruptRunException.class)
                    .hasMessageContaining("version");
        }
    }

    @Test
    void theLayoutIsBigEndianAsDocumented() {
        byte[] run = encode(List.of(new Entry(bytes("a"), 1, 1), new Entry(bytes("b"), 2, 1)), true);
        assertThat(run[0]).isEqualTo((byte) 'M');
        assertThat(run[1]).isEqualTo((byte) 'R');
        assertThat(run[2]).isEqualTo((byte) 2);
        assertThat(run[3]).isEqualTo((byte) RunFormat.FLAG_WITH_COUNT);
        // one block of two 5-byte entries (shared, suffix length, suffix, a, b), then the trailer
        assertThat(Arrays.copyOfRange(run, 4, 8)).containsExactly(0, 0, 0, 10);
        assertThat(Arrays.copyOfRange(run, 12, 22)).containsExactly(0, 1, 'a', 2, 2, 0, 1, 'b', 4, 2);
        assertThat(Arrays.copyOfRange(run, 22, 34)).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2);
        assertThat(run).hasSize(38);
    }

    @Test
    void anEmptyRunIsItsHeaderAndTrailer() {
        byte[] run = new RunWriter(false).finish();
        assertThat(run).hasSize(RunFormat.HEADER_BYTES + RunFormat.TRAILER_BYTES);
        assertThat(decode(run)).isEmpty();
    }

    @Test
    void aStreamingWriterWritesTheSameBytesAsOneInMemory() {
        SplittableRandom random = new SplittableRandom(13);
        for (int round = 0; round < 20; round++) {
            boolean withCount = round % 2 == 0;
            List<Entry> entries =
                    round < 10 ? randomSortedEntries(random, random.nextInt(0, 2_000), withCount) : manyBlocks(random);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RunWriter streaming = new RunWriter(withCount, out);
            for (Entry e : entries) {
                streaming.add(e.key(), 0, e.key().length, e.a(), e.b());
            }
            streaming.end();
            assertThat(out.toByteArray()).as("round %d", round).isEqualTo(encode(entries, withCount));
            assertThat(streaming.size()).isEqualTo(out.size());
        }
    }

    @Test
    void runsOfManyBlocksRoundTripStreamedInPiecesOfAnySize() {
        List<Entry> entries = manyBlocks(new SplittableRandom(14));
        byte[] run = encode(entries, false);
        assertThat(blockStarts(run)).hasSizeGreaterThan(4);
        for (int piece : new int[] {1, 3, 100, 4096, RunFormat.BLOCK_BYTES + 11, run.length}) {
            for (int buffer : new int[] {1, 64, 1000, 1 << 20}) {
                RunReader reader = new RunReader(new Trickle(run, piece), buffer, 0);
                assertThat(read(reader))
                        .as("pieces of %d, buffer %d", piece, buffer)
                        .isEqualTo(entries);
            }
        }
    }

    @Test
    void aKeyLongerThanABlockAndTheReadBufferRoundTrips() {
        byte[] huge = "h".repeat(3 * RunFormat.BLOCK_BYTES).getBytes(StandardCharsets.UTF_8);
        List<Entry> entries = List.of(new Entry(bytes("a"), 1, 0), new Entry(huge, 2, 0), new Entry(bytes("i"), 3, 0));
        assertThat(decode(encode(entries, false))).isEqualTo(entries);
    }

    /** A streamed reader hands out no entry of a damaged block: everything before it, then the error. */
    @Test
    void noEntryOfADamagedBlockIsEverReturned() {
        List<Entry> entries = manyBlocks(new SplittableRandom(15));
        byte[] run = encode(entries, false);
        List<Integer> starts = blockStarts(run);
        int damagedBlock = 2;
        byte[] damaged = run.clone();
        damaged[starts.get(damagedBlock) + RunFormat.BLOCK_HEADER_BYTES + 50] ^= 0x04;
        RunReader reader = streamed(damaged, 1000);
        List<Entry> returned = new ArrayList<>();
        assertThatThrownBy(() -> {
                    while (reader.next()) {
                        returned.add(
                                new Entry(Arrays.copyOf(reader.key(), reader.keyLength()), reader.a(), reader.b()));
                    }
                })
                .isInstanceOf(CorruptRunException.class)
                .hasMessageContaining("checksum")
                .extracting(e -> ((CorruptRunException) e).source())
                .isEqualTo(42);
        int beforeDamage = entriesIn(run, starts.get(0), starts.get(damagedBlock));
        assertThat(returned).isEqualTo(entries.subList(0, beforeDamage)).isNotEmpty();
    }

    @Test
    void aBlockDroppedRepeatedOrMovedIsDetected() {
        byte[] run = encode(manyBlocks(new SplittableRandom(16)), false);
        List<Integer> starts = blockStarts(run);
        byte[] header = Arrays.copyOf(run, RunFormat.HEADER_BYTES);
        List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i + 1 < starts.size(); i++) {
            blocks.add(Arrays.copyOfRange(run, starts.get(i), starts.get(i + 1)));
        }
        byte[] trailer = Arrays.copyOfRange(run, starts.get(starts.size() - 1), run.length);
        List<List<byte[]>> variants = List.of(
                List.of(blocks.get(0), blocks.get(2), blocks.get(3)), // one dropped
                List.of(blocks.get(0), blocks.get(1), blocks.get(1), blocks.get(2), blocks.get(3)), // repeated
                List.of(blocks.get(0), blocks.get(2), blocks.get(1), blocks.get(3))); // two swapped
        for (List<byte[]> variant : variants) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header);
            variant.forEach(out::writeBytes);
            blocks.subList(4, blocks.size()).forEach(out::writeBytes);
            out.writeBytes(trailer);
            byte[] damaged = out.toByteArray();
            assertThatThrownBy(() -> new RunReader(damaged)).isInstanceOf(CorruptRunException.class);
            assertThatThrownBy(() -> read(streamed(damaged, 999))).isInstanceOf(CorruptRunException.class);
        }
    }

    @Test
    void aDamagedBlockLengthNeverMakesTheReaderAllocateIt() {
        byte[] run = encode(List.of(new Entry(bytes("k"), 1, 0)), false);
        byte[] damaged = run.clone();
        RunFormat.putInt(damaged, RunFormat.HEADER_BYTES, RunFormat.MAX_BLOCK_BYTES - 1);
        assertThatThrownBy(() -> read(streamed(damaged, 5)))
                .isInstanceOf(CorruptRunException.class)
                .hasMessageContaining("truncated");
        RunFormat.putInt(damaged, RunFormat.HEADER_BYTES, Integer.MAX_VALUE);
        assertThatThrownBy(() -> read(streamed(damaged, 5)))
                .isInstanceOf(CorruptRunException.class)
                .hasMessageContaining("impossible length");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
