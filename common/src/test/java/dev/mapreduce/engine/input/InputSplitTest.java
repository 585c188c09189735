package dev.mapreduce.engine.input;

import static dev.mapreduce.engine.input.LineReaderTest.expected;
import static dev.mapreduce.engine.input.LineReaderTest.randomInput;
import static dev.mapreduce.engine.input.LineReaderTest.read;
import static dev.mapreduce.engine.input.LineReaderTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * However a file is cut into splits, the splits together read each line exactly once, in order:
 * the lines {@code BufferedReader.readLine} finds in the same bytes.
 */
class InputSplitTest {

    @TempDir
    Path dir;

    @Test
    void everySplitCountReadsEachLineExactlyOnce() throws IOException {
        SplittableRandom random = new SplittableRandom(50);
        for (int file = 0; file < 8; file++) {
            byte[] bytes = randomInput(random, random.nextInt(1, 3_000), 0);
            Path path = write("random-" + file + ".log", bytes);
            List<String> expected = expected(bytes);
            for (int splits = 1; splits <= 13; splits++) {
                assertThat(readAll(FileSplitter.split(List.of(path), splits)))
                        .as("file %d (%d bytes) in %d splits", file, bytes.length, splits)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void splitsCuttingThroughLongLinesStillReadEachLineOnce() throws IOException {
        byte[] bytes = randomInput(new SplittableRandom(51), 30, (4 << 20) + 100);
        Path path = write("long-lines.log", bytes);
        List<String> expected = expected(bytes);
        assertThat(expected).as("lines longer than the reader's buffer").anyMatch(l -> l.length() > 4 << 20);
        for (int splits = 1; splits <= 13; splits++) {
            assertThat(readAll(FileSplitter.split(List.of(path), splits)))
                    .as("%d splits", splits)
                    .isEqualTo(expected);
        }
    }

    @Test
    void everyBoundaryInASmallFileReadsEachLineExactlyOnce() throws IOException {
        SplittableRandom random = new SplittableRandom(52);
        List<byte[]> inputs = new ArrayList<>();
        for (String s : List.of("a\r\nb\r\nc", "\r\n\r\n\r\n", "\n\r\n\r", "x\ry\rz\r", "ab\n\ncd\r\r\nef\r\n")) {
            inputs.add(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        while (inputs.size() < 25) {
            byte[] bytes = randomInput(random, random.nextInt(1, 12), 0);
            if (bytes.length > 0 && bytes.length < 120) {
                inputs.add(bytes);
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            byte[] bytes = inputs.get(i);
            Path path = write("small-" + i + ".log", bytes);
            List<String> expected = expected(bytes);
            for (int k = 1; k <= bytes.length; k++) {
                List<InputSplit> splits =
                        List.of(new InputSplit(path, 0, k, false), new InputSplit(path, k, bytes.length, false));
                assertThat(readAll(splits))
                        .as("file %d (%d bytes) cut at %d", i, bytes.length, k)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void threeSplitsAtEveryPairOfBoundariesReadEachLineExactlyOnce() throws IOException {
        byte[] bytes = "a\r\n\r\nbc\rd\n\re\r\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Path path = write("three.log", bytes);
        List<String> expected = expected(bytes);
        for (int j = 1; j <= bytes.length; j++) {
            for (int k = j; k <= bytes.length; k++) {
                List<InputSplit> splits = List.of(
                        new InputSplit(path, 0, j, false),
                        new InputSplit(path, j, k, false),
                        new InputSplit(path, k, bytes.length, false));
                assertThat(readAll(splits)).as("cut at %d and %d", j, k).isEqualTo(expected);
            }
        }
    }

    @Test
    void severalFilesReadInOrderEachLineOnce() throws IOException {
        SplittableRandom random = new SplittableRandom(53);
        List<Path> files = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] bytes = randomInput(random, random.nextInt(1, 500), 0);
            files.add(write("part-" + i + ".log", bytes));
            expected.addAll(expected(bytes));
        }
        files.add(write("empty.log", new byte[0]));
        for (int splits = 1; splits <= 13; splits++) {
            assertThat(readAll(FileSplitter.split(files, splits)))
                    .as("%d splits", splits)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aGzipFileIsReadWholeAsOneSplit() throws IOException {
        byte[] bytes = randomInput(new SplittableRandom(54), 5_000, 0);
        Path path = dir.resolve("logs.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
            out.write(bytes);
        }
        List<InputSplit> splits = FileSplitter.split(List.of(path), 8);
        assertThat(splits).singleElement().satisfies(split -> {
            assertThat(split.gzip()).isTrue();
            assertThat(split.start()).isZero();
            assertThat(split.end()).isEqualTo(Files.size(path));
        });
        List<String> expected;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path))) {
            expected = LineReaderTest.expected(in);
        }
        assertThat(expected).isEqualTo(expected(bytes));
        assertThat(read(splits.get(0))).isEqualTo(expected);
    }

    @Test
    void aGzipFileLargerThanTheBufferIsReadWhole() throws IOException {
        byte[] bytes = randomInput(new SplittableRandom(55), 20, (4 << 20) + 7);
        Path path = dir.resolve("long.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
            out.write(bytes);
        }
        List<String> expected = expected(bytes);
        assertThat(expected).as("lines longer than the reader's buffer").anyMatch(l -> l.length() > 4 << 20);
        assertThat(read(new InputSplit(path, 0, Files.size(path), true))).isEqualTo(expected);
    }

    @Test
    void aRangeThatIsNegativeOrBackwardsIsRejected() {
        Path path = dir.resolve("x.log");
        assertThatThrownBy(() -> new InputSplit(path, -1, 10, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InputSplit(path, 10, 9, false)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new InputSplit(path, 10, 10, false).length()).isZero();
        assertThat(new InputSplit(path, 3, 10, false).length()).isEqualTo(7);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, bytes);
        return path;
    }
}
