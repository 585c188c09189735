package dev.mapreduce.mapworker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A starting worker empties its own spill folder, which a killed worker may have left files in, and nothing else. */
class SpillFolderTest {

    @TempDir
    Path spillDirectory;

    @Test
    void aStartingWorkerDeletesWhatAKilledOneLeftInItsFolderOnly() throws IOException {
        Path mine = spillDirectory.resolve("mapreduce-map-worker-1");
        Path task = Files.createDirectories(mine.resolve("map-spill-123"));
        Files.write(task.resolve("spill-0"), new byte[1000]);
        Files.write(task.resolve("spill-1"), new byte[10]);
        Path other = Files.createDirectories(spillDirectory.resolve("mapreduce-map-worker-2/map-spill-9"));
        Files.write(other.resolve("spill-0"), new byte[10]);

        SpillFolder.prepare(mine);

        assertThat(mine).isDirectory();
        try (Stream<Path> left = Files.list(mine)) {
            assertThat(left).isEmpty();
        }
        assertThat(other.resolve("spill-0")).exists();
    }

    @Test
    void aMissingFolderIsCreated() throws IOException {
        Path mine = spillDirectory.resolve("a/b/mapreduce-map-1");

        SpillFolder.prepare(mine);

        assertThat(mine).isDirectory();
    }
}
