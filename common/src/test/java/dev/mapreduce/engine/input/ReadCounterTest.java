package dev.mapreduce.engine.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadCounterTest {

    @TempDir
    Path dir;

    @Test
    void countsEveryLineAndItsBytesWithTheTerminatorWhileHandingThemOnUnchanged() throws IOException {
        Path file = Files.writeString(dir.resolve("a.log"), "one\ntwo\n\nfour\n");
        ReadCounter counter = new ReadCounter();
        List<String> seen = new ArrayList<>();

        counter.counting(new InputSplit(file, 0, Files.size(file), false)).forEachLine(handler(seen));

        assertThat(seen).containsExactly("one", "two", "", "four");
        assertThat(counter.lines()).isEqualTo(4);
        assertThat(counter.bytes()).isEqualTo(Files.size(file));
    }

    @Test
    void publishesWhileReadingNotOnlyAtTheEnd() throws IOException {
        ReadCounter counter = new ReadCounter();
        long[] seenMidway = {-1};
        LineSource lines = handler -> {
            for (int i = 0; i < 3000; i++) {
                handler.line(new byte[9], 0, 9);
                if (i == 2500) {
                    seenMidway[0] = counter.lines();
                }
            }
        };

        counter.counting(lines).forEachLine(handler(new ArrayList<>()));

        assertThat(seenMidway[0]).isEqualTo(2048);
        assertThat(counter.lines()).isEqualTo(3000);
        assertThat(counter.bytes()).isEqualTo(30_000);
    }

    @Test
    void recordsCountHeadersEventsAndOversizedLines() throws IOException {
        ReadCounter counter = new ReadCounter();
        List<String> seen = new ArrayList<>();
        LineSource source = new LineSource() {
            @Override
            public void forEachLine(LineHandler handler) {
                throw new AssertionError("records are asked for");
            }

            @Override
            public void forEachRecord(EventStart start, boolean header, LineHandler handler) {
                handler.header("a,b".getBytes(StandardCharsets.UTF_8), 0, 3);
                handler.line("1,2".getBytes(StandardCharsets.UTF_8), 0, 3);
                handler.oversizedLine();
            }
        };

        counter.counting(source).forEachRecord(null, true, handler(seen));

        assertThat(seen).containsExactly("header a,b", "1,2", "oversized");
        assertThat(counter.lines()).isEqualTo(2);
        assertThat(counter.bytes()).isEqualTo(8);
    }

    @Test
    void whatWasReadBeforeAFailureIsStillCounted() {
        ReadCounter counter = new ReadCounter();
        LineSource failing = handler -> {
            handler.line(new byte[4], 0, 4);
            throw new IOException("disk gone");
        };

        assertThatThrownBy(() -> counter.counting(failing).forEachLine(handler(new ArrayList<>())))
                .isInstanceOf(IOException.class)
                .hasMessage("disk gone");

        assertThat(counter.lines()).isEqualTo(1);
        assertThat(counter.bytes()).isEqualTo(5);
    }

    private static LineHandler handler(List<String> seen) {
        return new LineHandler() {
            @Override
            public void line(byte[] buf, int off, int len) {
                seen.add(new String(buf, off, len, StandardCharsets.UTF_8));
            }

            @Override
            public void oversizedLine() {
                seen.add("oversized");
            }

            @Override
            public void header(byte[] buf, int off, int len) {
                seen.add("header " + new String(buf, off, len, StandardCharsets.UTF_8));
            }
        };
    }
}
