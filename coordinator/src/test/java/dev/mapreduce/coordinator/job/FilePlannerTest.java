package dev.mapreduce.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.LineHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePlannerTest {

    static final long MB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aSplitIsTheShareOfEachMapperBetweenOneMebibyteAndTheSplitSize() {
        assertThat(FilePlanner.splitBytes(200 * MB, 64 * MB, 4)).isEqualTo(50 * MB);
        assertThat(FilePlanner.splitBytes(1024 * MB, 64 * MB, 4)).isEqualTo(64 * MB);
        assertThat(FilePlanner.splitBytes(2 * MB, 64 * MB, 4)).isEqualTo(MB);
        assertThat(FilePlanner.splitBytes(500_000, 64 * MB, 4)).isEqualTo(MB);
        assertThat(FilePlanner.splitBytes(0, 64 * MB, 4)).isEqualTo(MB);
        // a configured split size below the minimum still wins: it is the operator's limit
        assertThat(FilePlanner.splitBytes(10_000, 100, 4)).isEqualTo(100);
    }

    @Test
    void anInputSmallerThanTheSplitSizeIsCutIntoOneSplitPerMapperButNotBelowOneMebibyte() throws IOException {
        Path file = lines("three.log", 3 * MB);

        assertThat(FilePlanner.split(List.of(file), 64 * MB, 3)).hasSize(3);
        assertThat(FilePlanner.split(List.of(file), 64 * MB, 8)).hasSize(3).allSatisfy(s -> assertThat(s.length())
                .isLessThanOrEqualTo(MB));
        assertThat(FilePlanner.split(List.of(file), 64 * MB, 1)).hasSize(1);
        assertThat(FilePlanner.split(List.of(lines("small.log", 300_000)), 64 * MB, 4))
                .hasSize(1);
    }

    @Test
    void splitsAreAtMostTheSplitSizeAndEveryLineIsReadOnceWhereverTheCutsFall() throws IOException {
        Path file = lines("a.log", 3_000);
        List<String> expected = Files.readAllLines(file);
        for (long splitSize : new long[] {1, 7, 64, 100, 999, 4096}) {
            List<InputSplit> splits = FilePlanner.split(List.of(file), splitSize, 4);

            assertThat(splits).allSatisfy(s -> assertThat(s.length()).isBetween(1L, splitSize));
            assertThat(splits.get(0).start()).isZero();
            for (int i = 1; i < splits.size(); i++) {
                assertThat(splits.get(i).start()).isEqualTo(splits.get(i - 1).end());
            }
            assertThat(splits.get(splits.size() - 1).end()).isEqualTo(Files.size(file));
            assertThat(read(splits)).as("split size %d", splitSize).isEqualTo(expected);
        }
    }

    @Test
    void aGzipFileIsOneSplitWhateverItsSizeAndEmptyFilesNone() throws IOException {
        Path gz = dir.resolve("b.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            for (int i = 0; i < 5_000; i++) {
                out.write(("line " + i + " " + new Random(i).nextLong() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Path empty = Files.createFile(dir.resolve("c.log"));
        Path plain = lines("d.log", 1_000);

        List<InputSplit> splits = FilePlanner.split(List.of(gz, empty, plain), 100, 2);

        assertThat(splits.get(0)).isEqualTo(new InputSplit(gz, 0, Files.size(gz), true));
        assertThat(splits.subList(1, splits.size()))
                .hasSizeGreaterThanOrEqualTo(10)
                .allSatisfy(s -> {
                    assertThat(s.file()).isEqualTo(plain);
                    assertThat(s.length()).isLessThanOrEqualTo(100);
                });
        assertThat(read(splits.subList(1, splits.size()))).isEqualTo(Files.readAllLines(plain));
        assertThat(read(splits.subList(0, 1))).hasSize(5_000).startsWith("line 0 " + new Random(0).nextLong());
        assertThat(FilePlanner.split(List.of(empty), 100, 2)).isEmpty();
    }

    @Test
    void splitsAreGroupedIntoNumMappersRunsOfAboutEqualBytes() {
        List<InputSplit> sixteen = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sixteen.add(new InputSplit(Path.of("f.log"), i * 100L, i * 100L + 100, false));
        }

        List<List<InputSplit>> groups = FilePlanner.group(sixteen, 4);

        assertThat(groups).hasSize(4).allSatisfy(g -> assertThat(g).hasSize(4));
        assertThat(groups.stream().flatMap(List::stream).toList()).isEqualTo(sixteen);
        assertThat(FilePlanner.group(sixteen, 16)).hasSize(16).allSatisfy(g -> assertThat(g)
                .hasSize(1));
        assertThat(FilePlanner.group(sixteen, 1)).containsExactly(sixteen);
        assertThat(FilePlanner.group(sixteen.subList(0, 3), 8)).hasSize(3);
    }

    @Test
    void aSplitFarLargerThanTheOthersHasATaskToItselfAndNoTaskIsEmpty() {
        List<InputSplit> splits = List.of(
                new InputSplit(Path.of("big.gz"), 0, 1_000, true),
                new InputSplit(Path.of("a.log"), 0, 10, false),
                new InputSplit(Path.of("b.log"), 0, 10, false));

        List<List<InputSplit>> groups = FilePlanner.group(splits, 3);

        assertThat(groups).containsExactly(splits.subList(0, 1), splits.subList(1, 3));
    }

    @Test
    void noInputIsOneEmptyTask() {
        assertThat(FilePlanner.group(List.of(), 4)).containsExactly(List.of());
    }

    /** A file of lines of varied length, a little under {@code bytes} bytes. */
    private Path lines(String name, long bytes) throws IOException {
        Random random = new Random(name.hashCode());
        StringBuilder text = new StringBuilder();
        for (int i = 0; ; i++) {
            String line = "line " + i + " " + "x".repeat(random.nextInt(40)) + "\n";
            if (text.length() + line.length() > bytes) {
                return Files.writeString(dir.resolve(name), text);
            }
            text.append(line);
        }
    }

    private static List<String> read(List<InputSplit> splits) throws IOException {
        List<String> lines = new ArrayList<>();
        for (InputSplit split : splits) {
            split.forEachLine(new LineHandler() {
                @Override
                public void line(byte[] buf, int off, int len) {
                    lines.add(new String(buf, off, len, StandardCharsets.UTF_8));
                }

                @Override
                public void oversizedLine() {
                    throw new AssertionError("no line is that long");
                }
            });
        }
        return lines;
    }
}
