package dev.mapreduce.engine.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.testing.FormatGen;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multi-line events (log4j lines with their stack traces) read from a file cut into any number of
 * splits, at any byte, are exactly the events of one sequential read: each event once, whole, in
 * order; continuation lines before the first event form an event of their own.
 */
class MultilineEventsTest {

    static final EventStart LOG4J =
            Formats.compile(FormatSpec.of("log4j")).eventStart().orElseThrow();

    @TempDir
    Path dir;

    Path file;
    byte[] bytes;
    List<String> expected;

    @BeforeEach
    void writeLog() throws IOException {
        FormatGen gen = new FormatGen(77);
        SplittableRandom random = new SplittableRandom(78);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        expected = new ArrayList<>();
        // a file that starts in the middle of a stack trace (rotated logs do)
        String orphan = "\tat com.shop.Left.over(Left.java:1)\n\t... 3 more";
        expected.add(orphan);
        out.writeBytes("\tat com.shop.Left.over(Left.java:1)\r\n\t... 3 more\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 4000; i++) {
            String event = gen.log4j().text();
            expected.add(event);
            String terminator = random.nextInt(10) == 0 ? "\r\n" : "\n";
            out.writeBytes((event.replace("\n", terminator) + terminator).getBytes(StandardCharsets.UTF_8));
        }
        String last = "2026-11-21 00:00:00,000 INFO  [main] com.shop.App - the last line has no terminator";
        expected.add(last);
        out.writeBytes(last.getBytes(StandardCharsets.UTF_8));
        bytes = out.toByteArray();
        file = dir.resolve("app.log");
        Files.write(file, bytes);
        assertThat(expected.stream().filter(e -> e.contains("\n")).count()).isGreaterThan(500);
    }

    static List<String> read(List<InputSplit> splits) throws IOException {
        List<String> events = new ArrayList<>();
        for (InputSplit split : splits) {
            split.forEachRecord(LOG4J, false, new LineHandler() {
                @Override
                public void line(byte[] buf, int off, int len) {
                    events.add(new String(buf, off, len, StandardCharsets.UTF_8));
                }

                @Override
                public void oversizedLine() {
                    events.add("<oversized>");
                }
            });
        }
        return events;
    }

    @ParameterizedTest(name = "{0} splits")
    @ValueSource(ints = {1, 3, 8, 29})
    void anyNumberOfSplitsReadsTheEventsOfOneSequentialRead(int splits) throws IOException {
        assertThat(read(FileSplitter.split(List.of(file), splits))).isEqualTo(expected);
    }

    @Test
    void splitsEndingAtAnyByteReadEachEventOnce() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 40; round++) {
            List<Long> cuts = new ArrayList<>();
            cuts.add(0L);
            int pieces = random.nextInt(2, 60);
            for (int i = 0; i < pieces - 1; i++) {
                cuts.add(random.nextLong(1, bytes.length));
            }
            cuts.add((long) bytes.length);
            cuts.sort(null);
            List<InputSplit> splits = new ArrayList<>();
            for (int i = 0; i + 1 < cuts.size(); i++) {
                splits.add(new InputSplit(file, cuts.get(i), cuts.get(i + 1), false));
            }
            assertThat(read(splits)).as("cuts %s", cuts).isEqualTo(expected);
        }
    }

    @Test
    void aCutAtEveryByteOfAShortFileStillReadsEachEventOnce() throws IOException {
        String text = "  at orphan\n2026-11-20 08:00:00,000 ERROR [t] a.B - x\nex.E: y\n\tat f\n\n"
                + "2026-11-20 08:00:01,000 INFO [t] a.B - z\r\n\tat g\r2026-11-20 08:00:02,000 INFO [t] a.B - w";
        Path small = dir.resolve("small.log");
        Files.writeString(small, text);
        List<String> whole = read(List.of(new InputSplit(small, 0, text.length(), false)));
        assertThat(whole)
                .containsExactly(
                        "  at orphan",
                        "2026-11-20 08:00:00,000 ERROR [t] a.B - x\nex.E: y\n\tat f\n",
                        "2026-11-20 08:00:01,000 INFO [t] a.B - z\n\tat g",
                        "2026-11-20 08:00:02,000 INFO [t] a.B - w");
        for (int a = 0; a <= text.length(); a++) {
            for (int b = a; b <= text.length(); b++) {
                List<InputSplit> three = List.of(
                        new InputSplit(small, 0, a, false),
                        new InputSplit(small, a, b, false),
                        new InputSplit(small, b, text.length(), false));
                assertThat(read(three)).as("cut at %d and %d", a, b).isEqualTo(whole);
            }
        }
    }

    @Test
    void aGzipFileIsOneSplitOfEvents() throws IOException {
        Path gz = dir.resolve("app.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(bytes);
        }
        assertThat(read(FileSplitter.split(List.of(gz), 4))).isEqualTo(expected);
    }

    @Test
    void aHeaderLineGoesToTheHandlerOfEverySplitAndIsNoRecord() throws IOException {
        Path csv = dir.resolve("t.csv");
        StringBuilder s = new StringBuilder("a,b\n");
        for (int i = 0; i < 5000; i++) {
            s.append(i).append(',').append(i * 2).append('\n');
        }
        Files.writeString(csv, s);
        List<String> headers = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (InputSplit split : FileSplitter.split(List.of(csv), 7)) {
            split.forEachRecord(null, true, new LineHandler() {
                @Override
                public void line(byte[] buf, int off, int len) {
                    rows.add(new String(buf, off, len, StandardCharsets.UTF_8));
                }

                @Override
                public void oversizedLine() {}

                @Override
                public void header(byte[] buf, int off, int len) {
                    headers.add(new String(buf, off, len, StandardCharsets.UTF_8));
                }
            });
        }
        assertThat(headers).hasSize(7).containsOnly("a,b");
        assertThat(rows).hasSize(5000).startsWith("0,0").endsWith("4999,9998");
    }

    @Test
    void theLocatorSaysWhereEachEventStarts() throws IOException {
        List<String> where = new ArrayList<>();
        new InputSplit(file, 0, bytes.length, false).forEachRecord(LOG4J, false, new LineHandler() {
            private Locator locator;

            @Override
            public void line(byte[] buf, int off, int len) {
                if (where.size() < 3) {
                    where.add(locator.where());
                }
            }

            @Override
            public void oversizedLine() {}

            @Override
            public void locator(Locator locator) {
                this.locator = locator;
            }
        });
        int second = "\tat com.shop.Left.over(Left.java:1)\r\n\t... 3 more\n".length();
        assertThat(where).containsExactly(file + " at byte 0", file + " at byte " + second, where.get(2));
        assertThat(where.get(2)).isNotEqualTo(where.get(1));
    }
}
