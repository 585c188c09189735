package dev.mapreduce.engine.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are cut into contiguous byte ranges of about equal size; a gzip file stays whole. */
class FileSplitterTest {

    @TempDir
    Path dir;

    @Test
    void splitsCoverEachFileContiguouslyWithPiecesNoLargerThanTheirShare() throws IOException {
        int[] sizes = {1, 7, 100, 1_000, 4_099};
        List<Path> files = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            files.add(write("f" + i + ".log", sizes[i]));
            total += sizes[i];
        }
        for (int n = 1; n <= 13; n++) {
            List<InputSplit> splits = FileSplitter.split(files, n);
            long target = (total + n - 1) / n;
            int at = 0;
            for (int i = 0; i < files.size(); i++) {
                long position = 0;
                int pieces = 0;
                while (at < splits.size() && splits.get(at).file().equals(files.get(i))) {
                    InputSplit split = splits.get(at++);
                    assertThat(split.gzip()).isFalse();
                    assertThat(split.start()).as("%d splits, file %d", n, i).isEqualTo(position);
                    assertThat(split.length()).isPositive().isLessThanOrEqualTo(target);
                    position = split.end();
                    pieces++;
                }
                assertThat(position).as("%d splits, file %d covered", n, i).isEqualTo(sizes[i]);
                assertThat(pieces).isEqualTo((int) Math.max(1, (sizes[i] + target - 1) / target));
            }
            assertThat(at).as("no split left over").isEqualTo(splits.size());
        }
    }

    @Test
    void oneFileInNSplitsGivesNPiecesOfNearlyEqualSize() throws IOException {
        Path file = write("one.log", 1_000);
        for (int n = 1; n <= 13; n++) {
            List<InputSplit> splits = FileSplitter.split(List.of(file), n);
            assertThat(splits).hasSize(n);
            long min = splits.stream().mapToLong(InputSplit::length).min().orElseThrow();
            long max = splits.stream().mapToLong(InputSplit::length).max().orElseThrow();
            assertThat(max - min).as("%d splits", n).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void moreSplitsThanBytesGivesOneSplitPerByte() throws IOException {
        Path file = write("tiny.log", 3);
        assertThat(FileSplitter.split(List.of(file), 13)).hasSize(3).allSatisfy(s -> assertThat(s.length())
                .isOne());
    }

    @Test
    void aGzipFileIsOneSplitWhateverTheCount() throws IOException {
        Path gz = write("logs.jsonl.gz", 5_000);
        Path plain = write("logs.jsonl", 5_000);
        List<InputSplit> splits = FileSplitter.split(List.of(gz, plain), 10);
        assertThat(splits.stream().filter(s -> s.file().equals(gz)).toList())
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.gzip()).isTrue();
                    assertThat(s.start()).isZero();
                    assertThat(s.end()).isEqualTo(5_000);
                });
        assertThat(splits.stream().filter(s -> s.file().equals(plain))).hasSizeGreaterThan(1);
    }

    @Test
    void emptyFilesGiveNoSplits() throws IOException {
        Path empty = write("empty.log", 0);
        Path emptyGz = write("empty.gz", 0);
        assertThat(FileSplitter.split(List.of(empty, emptyGz), 4)).isEmpty();
        assertThat(FileSplitter.split(List.of(), 4)).isEmpty();
    }

    @Test
    void fewerThanOneSplitIsRejected() throws IOException {
        Path file = write("a.log", 10);
        assertThatThrownBy(() -> FileSplitter.split(List.of(file), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileSplitter.split(List.of(file), -3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foldersExpandToTheirVisibleFilesSortedByName() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("in"));
        Path b = write("in/b.log", 1);
        Path a = write("in/a.log", 1);
        Path c = write("in/c.log.gz", 1);
        write("in/.hidden", 1);
        write("in/_SUCCESS", 0);
        Files.createDirectory(folder.resolve("nested"));
        write("in/nested/deep.log", 1);
        Path single = write("single.log", 1);

        assertThat(FileSplitter.listFiles(List.of(single, folder))).containsExactly(single, a, b, c);
    }

    @Test
    void aMissingInputIsReported() {
        Path missing = dir.resolve("missing.log");
        assertThatThrownBy(() -> FileSplitter.listFiles(List.of(missing))).isInstanceOf(NoSuchFileException.class);
    }

    private Path write(String name, int size) throws IOException {
        Path path = dir.resolve(name);
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        Files.write(path, bytes);
        return path;
    }
}
