package dev.mapreduce.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.input.ReadCounter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadProgressTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aKnownTotalGivesTheShareDoneTheRateAndAnEta() {
        assertThat(ReadProgress.line(12 * MIB, 120_000, 48 * MIB, Duration.ofSeconds(2)))
                .isEqualTo("12.0 MiB of 48.0 MiB (25%), 120,000 lines, 6.0 MiB/s, ETA 0:06");
        assertThat(ReadProgress.line(3 * MIB, 1, 3 * MIB, Duration.ofSeconds(1)))
                .isEqualTo("3.0 MiB of 3.0 MiB (100%), 1 line, 3.0 MiB/s, ETA 0:00");
    }

    @Test
    void anEtaOverAnHourShowsHours() {
        assertThat(ReadProgress.line(MIB, 10, 4000 * MIB, Duration.ofSeconds(1)))
                .endsWith(", 1.0 MiB/s, ETA 1:06:39");
    }

    @Test
    void anUnknownTotalGivesNoShareAndNoEta() {
        assertThat(ReadProgress.line(1536, 7, -1, Duration.ofSeconds(1))).isEqualTo("1.5 KiB, 7 lines, 1.5 KiB/s");
    }

    @Test
    void noRateBeforeAnythingWasReadOrAnyTimePassed() {
        assertThat(ReadProgress.line(0, 0, 100, Duration.ofSeconds(5))).isEqualTo("0 B of 100 B (0%), 0 lines");
        assertThat(ReadProgress.line(50, 1, 100, Duration.ofMillis(10))).isEqualTo("50 B of 100 B (50%), 1 line");
        assertThat(ReadProgress.line(0, 0, 0, Duration.ZERO)).isEqualTo("0 B of 0 B (100%), 0 lines");
    }

    @Test
    void bytesUseBinaryUnitsWithOneDecimal() {
        assertThat(ReadProgress.bytes(0)).isEqualTo("0 B");
        assertThat(ReadProgress.bytes(1023)).isEqualTo("1023 B");
        assertThat(ReadProgress.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(ReadProgress.bytes(MIB - 1)).isEqualTo("1.0 MiB");
        assertThat(ReadProgress.bytes(5L << 30)).isEqualTo("5.0 GiB");
        assertThat(ReadProgress.bytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void eachDrawOverwritesTheLineAndCloseBlanksIt() {
        StringWriter err = new StringWriter();
        ReadCounter counter = new ReadCounter();
        AtomicLong now = new AtomicLong();
        ReadProgress progress = new ReadProgress("mr local", new PrintWriter(err), counter, 2048, now::get);

        progress.draw();
        counter.add(1024, 10);
        now.set(Duration.ofSeconds(1).toNanos());
        progress.draw();

        assertThat(err.toString())
                .isEqualTo("\rmr local: 0 B of 2.0 KiB (0%), 0 lines"
                        + "\rmr local: 1.0 KiB of 2.0 KiB (50%), 10 lines, 1.0 KiB/s, ETA 0:01");
    }

    @Test
    void aShorterLineBlanksWhatTheLongerOneLeft() {
        StringWriter err = new StringWriter();
        ReadCounter counter = new ReadCounter();
        AtomicLong now = new AtomicLong(Duration.ofSeconds(1).toNanos());
        ReadProgress progress = new ReadProgress("x", new PrintWriter(err), counter, -1, now::get);
        counter.add(1 << 20, 1_000_000);
        progress.draw();
        String longer = err.toString();
        err.getBuffer().setLength(0);

        ReadProgress other = new ReadProgress("x", new PrintWriter(err), new ReadCounter(), -1, now::get);
        other.draw();

        assertThat(longer).isEqualTo("\rx: 1.0 MiB, 1,000,000 lines");
        assertThat(err.toString()).isEqualTo("\rx: 0 B, 0 lines");
    }

    @Test
    void startedItDrawsAtOnceRedrawsOnATimerAndClearsOnClose() throws Exception {
        StringWriter err = new StringWriter();
        ReadCounter counter = new ReadCounter();

        try (ReadProgress progress = ReadProgress.start("mr ingest", new PrintWriter(err), true, counter, 10)) {
            assertThat(progress.on()).isTrue();
            counter.add(5, 1);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> err.toString()
                    .contains("5 B of 10 B (50%), 1 line"));
        }

        String drawn = err.toString();
        assertThat(drawn).startsWith("\rmr ingest: 0 B of 10 B (0%), 0 lines\r");
        assertThat(drawn.substring(drawn.lastIndexOf('\r', drawn.length() - 2))).matches("\r +\r");
    }

    @Test
    void itIsQuietWhenToldSoOrWhenStderrIsNoTerminal() {
        StringWriter err = new StringWriter();

        try (ReadProgress off = ReadProgress.start("mr local", new PrintWriter(err), false, new ReadCounter(), 10)) {
            assertThat(off.on()).isFalse();
        }
        System.setProperty(ReadProgress.STDERR_TERMINAL, "false");
        try (ReadProgress auto = ReadProgress.start("mr local", new PrintWriter(err), null, new ReadCounter(), 10)) {
            assertThat(auto.on()).isFalse();
        } finally {
            System.clearProperty(ReadProgress.STDERR_TERMINAL);
        }

        assertThat(err.toString()).isEmpty();
    }

    @Test
    void theTotalIsTheFilesSizesUnlessOneIsCompressed() throws IOException {
        Path a = Files.writeString(dir.resolve("a.log"), "12345\n");
        Path b = Files.writeString(dir.resolve("b.log"), "1\n");
        Path gz = Files.write(dir.resolve("c.log.gz"), new byte[] {31, -117});

        assertThat(ReadProgress.totalBytes(List.of(a, b))).isEqualTo(8);
        assertThat(ReadProgress.totalBytes(List.of(a, gz))).isEqualTo(-1);
    }
}
