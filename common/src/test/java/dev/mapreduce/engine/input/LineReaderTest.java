package dev.mapreduce.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link LineReader} splits a stream into the lines {@link BufferedReader#readLine} finds. The
 * static helpers here (random inputs, the expected lines, a collecting handler) also serve
 * {@link InputSplitTest} and {@link FileSplitterTest}.
 */
class LineReaderTest {

    private static final int MiB = 1 << 20;
    /** The reader's initial buffer. */
    private static final int BUFFER = 4 * MiB;

    @Test
    void indexOfTerminatorAgreesWithANaiveLoop() {
        SplittableRandom random = new SplittableRandom(30);
        // near misses of the word-at-a-time trick: high-bit twins of \n and \r, neighbours, zero
        byte[] nearMisses = {0, 0x09, 0x0B, 0x0C, 0x0E, 0x1A, 0x2A, 0x5C, (byte) 0x8A, (byte) 0x8D, (byte) 0xFF};
        for (int round = 0; round < 100_000; round++) {
            byte[] b = new byte[random.nextInt(0, 70)];
            int sparseness = random.nextInt(1, 60); // one byte in this many is a terminator
            for (int i = 0; i < b.length; i++) {
                if (random.nextInt(sparseness) == 0) {
                    b[i] = random.nextBoolean() ? (byte) '\n' : (byte) '\r';
                } else if (random.nextBoolean()) {
                    b[i] = nearMisses[random.nextInt(nearMisses.length)];
                } else {
                    do {
                        b[i] = (byte) random.nextInt(256);
                    } while (b[i] == '\n' || b[i] == '\r');
                }
            }
            int from = random.nextInt(0, b.length + 1);
            int to = random.nextInt(from, b.length + 1);
            assertThat(LineReader.indexOfTerminator(b, from, to))
                    .as("%s from %d to %d", Arrays.toString(b), from, to)
                    .isEqualTo(naiveIndexOfTerminator(b, from, to));
        }
    }

    @Test
    void indexOfTerminatorFindsEachTerminatorAtEveryPosition() {
        for (int len = 1; len <= 40; len++) {
            for (int at = 0; at < len; at++) {
                for (byte t : new byte[] {'\n', '\r'}) {
                    byte[] b = new byte[len];
                    Arrays.fill(b, (byte) 0x8A);
                    b[at] = t;
                    for (int from = 0; from <= len; from++) {
                        assertThat(LineReader.indexOfTerminator(b, from, len)).isEqualTo(from <= at ? at : -1);
                    }
                }
            }
        }
    }

    @Test
    void randomInputsGiveTheLinesBufferedReaderGives() throws IOException {
        SplittableRandom random = new SplittableRandom(31);
        for (int round = 0; round < 150; round++) {
            byte[] input = randomInput(random, random.nextInt(0, 60), 0);
            assertThat(readWhole(input, InputSplit.MAX_LINE_BYTES))
                    .as("round %d", round)
                    .isEqualTo(expected(input));
        }
    }

    @Test
    void terminatorsOfEveryKindEndLinesAsBufferedReaderEndsThem() throws IOException {
        for (String input : List.of(
                "",
                "\n",
                "\r",
                "\r\n",
                "\n\r",
                "\r\r\n\n",
                "a",
                "a\n",
                "a\r",
                "a\r\n",
                "a\nb",
                "a\rb",
                "a\r\nb",
                "\n\na\r\r",
                "a\r\n\r\nb\n\n",
                "\r\n\r\n")) {
            byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
            assertThat(readWhole(bytes, InputSplit.MAX_LINE_BYTES))
                    .as("%s", input.replace("\r", "\\r").replace("\n", "\\n"))
                    .isEqualTo(expected(bytes));
        }
    }

    @Test
    void linesLongerThanTheBufferGrowItAndSurviveRefills() throws IOException {
        SplittableRandom random = new SplittableRandom(32);
        byte[] input = randomInput(random, 30, BUFFER + MiB / 2);
        List<String> expected = expected(input);
        assertThat(expected).as("the input has lines longer than the buffer").anyMatch(l -> l.length() > BUFFER);
        assertThat(readWhole(input, InputSplit.MAX_LINE_BYTES)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "terminator at {0} bytes from the first refill")
    @ValueSource(ints = {-3, -2, -1, 0, 1})
    void aTerminatorAcrossARefillIsSeenWhole(int shift) throws IOException {
        for (String terminator : List.of("\r\n", "\r", "\n", "\r\r", "\n\r")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("first\n".getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(repeat('x', BUFFER - 7 + shift)); // the terminator starts at BUFFER - 1 + shift
            out.writeBytes(terminator.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes("last".getBytes(StandardCharsets.ISO_8859_1));
            byte[] input = out.toByteArray();
            assertThat(readWhole(input, InputSplit.MAX_LINE_BYTES)).isEqualTo(expected(input));
        }
    }

    @Test
    void aStartInsideTheStreamSkipsTheLineRunningThroughIt() throws IOException {
        byte[] input = "one\r\ntwo\nthree\rfour".getBytes(StandardCharsets.ISO_8859_1);
        // start 4 is the \n of the \r\n: only the rest of that terminator is skipped
        assertThat(readFrom(input, 4, input.length)).containsExactly("two", "three", "four");
        assertThat(readFrom(input, 5, input.length)).containsExactly("three", "four");
        assertThat(readFrom(input, 6, input.length)).containsExactly("three", "four");
        // a line starting at or before end belongs here, even if it runs past end
        assertThat(readFrom(input, 1, 5)).containsExactly("two");
        assertThat(readFrom(input, 1, 4)).isEmpty();
        assertThat(readFrom(input, 0, 0)).containsExactly("one");
        assertThat(readFrom(input, 18, 22)).isEmpty();
    }

    @Test
    void aLineOfTheLimitOrLongerIsReportedOversizedAndSkipped() throws IOException {
        for (String terminator : List.of("\n", "\r", "\r\n")) {
            for (int length : new int[] {BUFFER, BUFFER + 1, BUFFER + MiB + 3}) {
                byte[] input = concat("a\n", repeat('y', length), terminator, "b\n");
                assertThat(readWhole(input, BUFFER))
                        .as(
                                "a line of %d bytes ended by %s",
                                length, terminator.replace("\r", "CR").replace("\n", "LF"))
                        .containsExactly("a", OVERSIZED, "b");
            }
        }
        assertThat(readWhole(concat("a\n", repeat('y', BUFFER + 5)), BUFFER)).containsExactly("a", OVERSIZED);
    }

    @Test
    void aLineJustUnderTheLimitIsRead() throws IOException {
        byte[] input = concat("a\n", repeat('y', BUFFER - 1), "\r\nb");
        List<String> lines = readWhole(input, BUFFER);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).hasSize(BUFFER - 1);
        assertThat(lines.get(2)).isEqualTo("b");
    }

    /**
     * A legal line whose {@code \r} is the last byte of a full buffer makes the reader double the
     * buffer to see the next byte; the limit must still hold for the lines after it.
     */
    @Test
    void aLineOverTheLimitIsOversizedEvenAfterACarriageReturnGrewTheBuffer() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(repeat('x', BUFFER - 1));
        out.write('\r');
        while (out.size() < 2 * BUFFER - 1000) {
            out.writeBytes("filler\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(repeat('z', BUFFER + 2 * MiB));
        out.writeBytes("\nend\n".getBytes(StandardCharsets.ISO_8859_1));

        List<String> lines = readWhole(out.toByteArray(), BUFFER);

        assertThat(lines.get(0)).hasSize(BUFFER - 1);
        assertThat(lines.subList(lines.size() - 2, lines.size()))
                .extracting(l -> l.length() > 100 ? "<" + l.length() + " bytes>" : l)
                .containsExactly(OVERSIZED, "end");
    }

    private static int naiveIndexOfTerminator(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    private static List<String> readWhole(byte[] input, int maxLine) throws IOException {
        return readFrom(input, 0, Long.MAX_VALUE, maxLine);
    }

    private static List<String> readFrom(byte[] input, int start, long end) throws IOException {
        return readFrom(input, start, end, InputSplit.MAX_LINE_BYTES);
    }

    /** Reads as a split does: the stream starts at file position {@code start}. */
    private static List<String> readFrom(byte[] input, int start, long end, int maxLine) throws IOException {
        Collector collector = new Collector();
        new LineReader(new ByteArrayInputStream(input, start, input.length - start), start, end, maxLine)
                .forEachLine(collector);
        return collector.lines;
    }

    static byte[] repeat(char c, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : ((String) part).getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    /** Marks an oversized line among the collected lines. */
    static final String OVERSIZED = "<oversized>";

    private static final byte[][] TERMINATORS = {{'\n'}, {'\r'}, {'\r', '\n'}};

    /**
     * Random lines: empty ones, short ones with arbitrary bytes (high bytes included), and with
     * {@code longLineBytes > 0} about one in ten that long; each ended by {@code \n}, {@code \r} or
     * {@code \r\n}, the last one sometimes by nothing.
     */
    static byte[] randomInput(SplittableRandom random, int lines, int longLineBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines; i++) {
            int length =
                    switch (random.nextInt(10)) {
                        case 0, 1 -> 0;
                        case 2 -> longLineBytes > 0 ? longLineBytes + random.nextInt(1000) : 1;
                        default -> random.nextInt(1, 60);
                    };
            for (int k = 0; k < length; k++) {
                int b;
                do {
                    b = random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + random.nextInt(26);
                } while (b == '\n' || b == '\r');
                out.write(b);
            }
            if (i < lines - 1 || random.nextBoolean()) {
                out.writeBytes(TERMINATORS[random.nextInt(TERMINATORS.length)]);
            }
        }
        return out.toByteArray();
    }

    /** The lines {@code BufferedReader.readLine} gives for {@code bytes}. */
    static List<String> expected(byte[] bytes) {
        return expected(new ByteArrayInputStream(bytes));
    }

    static List<String> expected(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
            List<String> lines = new ArrayList<>();
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Collects lines as ISO-8859-1 strings, oversized lines as {@link #OVERSIZED}. */
    static final class Collector implements LineHandler {

        final List<String> lines = new ArrayList<>();

        @Override
        public void line(byte[] buf, int off, int len) {
            lines.add(new String(buf, off, len, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void oversizedLine() {
            lines.add(OVERSIZED);
        }
    }

    static List<String> read(LineSource source) throws IOException {
        Collector collector = new Collector();
        source.forEachLine(collector);
        return collector.lines;
    }

    static List<String> readAll(List<? extends LineSource> sources) throws IOException {
        List<String> lines = new ArrayList<>();
        for (LineSource source : sources) {
            lines.addAll(read(source));
        }
        return lines;
    }
}
