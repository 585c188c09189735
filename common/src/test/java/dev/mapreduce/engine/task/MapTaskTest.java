package dev.mapreduce.engine.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.engine.partition.Murmur3Partitioner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A map task whose output spills keeps its files only as long as its output is open. */
class MapTaskTest {

    private static final long SMALL_BUFFER = 1 << 20;

    @TempDir
    Path spillDir;

    @Test
    void aTaskWithMoreOutputThanItsBufferSpillsAndItsOutputIsExact() throws IOException {
        MapTask task = wordCount();
        try (MapOutput output = task.run(lines(200_000, null))) {
            assertThat(output.runs().onDisk()).isTrue();
            assertThat(output.counters().recordsRead()).isEqualTo(200_000);
            // each line has "word" and its own unique token
            assertThat(output.counters().combineOutputRecords()).isEqualTo(200_001);
            long shuffleBytes = 0;
            for (int p = 0; p < 3; p++) {
                shuffleBytes += output.runs().size(p);
            }
            assertThat(output.counters().totalShuffleBytes()).isEqualTo(shuffleBytes);
            assertThat(spillFiles()).hasSize(1);
        }
        assertThat(spillFiles()).isEmpty();
    }

    @Test
    void aTaskWhoseInputFailsLeavesNoSpillFiles() {
        MapTask task = wordCount();

        assertThatThrownBy(() -> task.run(lines(200_000, new IOException("disk gone"))))
                .isInstanceOf(IOException.class)
                .hasMessage("disk gone");
        assertThat(spillFiles()).isEmpty();
    }

    @Test
    void aTaskStoppedByAnUncheckedExceptionLeavesNoSpillFiles() {
        MapTask task = wordCount();

        assertThatThrownBy(() -> task.run(lines(200_000, new IllegalStateException("cancelled"))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(spillFiles()).isEmpty();
    }

    private MapTask wordCount() {
        return new MapTask(
                FunctionCatalogue.mapFunction("WORD_COUNT", Map.of()),
                ReduceFunction.SUM,
                true,
                Murmur3Partitioner.INSTANCE,
                3,
                SMALL_BUFFER,
                spillDir);
    }

    /** {@code n} log lines, each with a unique token; then {@code failure} is thrown, if given. */
    private static LineSource lines(int n, Exception failure) {
        return handler -> {
            for (int i = 0; i < n; i++) {
                byte[] line = ("{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"s\","
                                + "\"message\":\"word u" + i + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                handler.line(line, 0, line.length);
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
        };
    }

    private Stream<Path> spillFiles() {
        try (Stream<Path> files = Files.walk(spillDir)) {
            return files.filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
