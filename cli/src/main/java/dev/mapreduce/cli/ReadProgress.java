package dev.mapreduce.cli;

import dev.mapreduce.engine.input.ReadCounter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The reading progress of {@code mr ingest} and {@code mr local} on stderr: bytes and lines done,
 * the rate, and with a known total the share done and an ETA, one line redrawn in place four times
 * a second by a timer thread and cleared at the end. The readers only update a {@link
 * ReadCounter}. Off unless stderr is a terminal or {@code --progress} asks for it, so scripts, pipes
 * and logs see nothing.
 */
final class ReadProgress implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofMillis(250);

    /** Set by the {@code mr} script when stderr is a terminal ({@code [ -t 2 ]}); Java cannot ask. */
    static final String STDERR_TERMINAL = "mr.stderrTerminal";

    private static final ReadProgress OFF = new ReadProgress(null, null, null, -1, () -> 0);

    private final String label;
    private final PrintWriter err;
    private final ReadCounter counter;
    private final long totalBytes;
    private final LongSupplier nanoTime;
    private final long started;
    private ScheduledExecutorService timer;
    private int drawn;

    ReadProgress(String label, PrintWriter err, ReadCounter counter, long totalBytes, LongSupplier nanoTime) {
        this.label = label;
        this.err = err;
        this.counter = counter;
        this.totalBytes = totalBytes;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /**
     * Starts drawing the progress of {@code counter} when {@code wanted} says so (null: when stderr
     * is a terminal); {@code totalBytes} is -1 when unknown. Draws the first line at once.
     */
    static ReadProgress start(String label, PrintWriter err, Boolean wanted, ReadCounter counter, long totalBytes) {
        if (!(wanted != null ? wanted : stderrIsTerminal())) {
            return OFF;
        }
        ReadProgress progress = new ReadProgress(label, err, counter, totalBytes, System::nanoTime);
        progress.draw();
        progress.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mr-progress");
            t.setDaemon(true);
            return t;
        });
        progress.timer.scheduleAtFixedRate(
                progress::draw, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return progress;
    }

    /** Whether a progress line is being drawn. */
    boolean on() {
        return this != OFF;
    }

    /** Redraws the line with the counter's current values. */
    synchronized void draw() {
        String line = label + ": " + line(counter.bytes(), counter.lines(), totalBytes, elapsed());
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        err.flush();
        drawn = line.length();
    }

    /** Stops the timer and clears the line, so what follows starts on a clean line; again, does nothing. */
    @Override
    public void close() {
        if (this == OFF || timer.isShutdown()) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(nanoTime.getAsLong() - started);
    }

    /**
     * {@code 12.0 MiB of 48.0 MiB (25%), 120,000 lines, 6.0 MiB/s, ETA 0:06}; without a total, no
     * share and no ETA; no rate or ETA before a tenth of a second has passed or a byte was read.
     */
    static String line(long bytes, long lines, long totalBytes, Duration elapsed) {
        StringBuilder s = new StringBuilder(bytes(bytes));
        boolean known = totalBytes >= 0;
        if (known) {
            long shown = Math.min(bytes, totalBytes);
            int percent = totalBytes == 0 ? 100 : (int) (shown * 100 / totalBytes);
            s.append(" of ")
                    .append(bytes(totalBytes))
                    .append(" (")
                    .append(percent)
                    .append("%)");
        }
        s.append(", ").append(Text.count(lines)).append(lines == 1 ? " line" : " lines");
        double seconds = elapsed.toNanos() / 1e9;
        if (seconds >= 0.1 && bytes > 0) {
            double rate = bytes / seconds;
            s.append(", ").append(bytes((long) rate)).append("/s");
            if (known) {
                long left = Math.max(0, totalBytes - bytes);
                s.append(", ETA ").append(Text.clock(Duration.ofSeconds((long) Math.ceil(left / rate))));
            }
        }
        return s.toString();
    }

    /** Bytes in binary units with one decimal: {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = n / 1024.0;
        int unit = 0;
        while (value >= 1023.95 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** The bytes of these files, or -1 when a .gz file among them makes the total read unknown. */
    static long totalBytes(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            if (file.getFileName().toString().endsWith(".gz")) {
                return -1;
            }
            total += Files.size(file);
        }
        return total;
    }

    /**
     * Whether stderr is a terminal: the {@code mr} script says so; run as {@code java -jar}, a
     * console (stdin and stdout on a terminal) stands in. Never on a dumb terminal.
     */
    static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        String told = System.getProperty(STDERR_TERMINAL);
        return told != null ? Boolean.parseBoolean(told) : JobFollower.Style.detect() == JobFollower.Style.BAR;
    }
}
