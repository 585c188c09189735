package dev.mapreduce.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Follows a job by asking for its view every {@code interval} until it ends, drawing its progress:
 * one line redrawn in place on a terminal, one line per change otherwise (logs, CI, pipes).
 * Polling, not the event stream: a CLI can afford a request every few hundred milliseconds, and a
 * plain GET survives proxies, reconnects and gateway restarts without any resume logic.
 */
final class JobFollower {

    static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "CANCELLED");
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);
    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(1);
    private static final int BAR_WIDTH = 10;

    /** How progress is drawn. */
    enum Style {
        /** One line, redrawn in place with a carriage return. */
        BAR,
        /** A new line whenever the status, a percentage or the records read change. */
        LINES;

        /** A bar on an interactive terminal, lines anywhere else. */
        static Style detect() {
            return isTerminal() ? BAR : LINES;
        }
    }

    private final GatewayClient gateway;
    private final PrintWriter progress;
    private final Style style;
    private final Duration interval;
    private int drawn;

    JobFollower(GatewayClient gateway, PrintWriter progress, Style style, Duration interval) {
        this.gateway = gateway;
        this.progress = progress;
        this.style = style;
        this.interval = interval;
    }

    /** Returns the job's view once it is COMPLETED, FAILED or CANCELLED. */
    JsonNode follow(UUID jobId) {
        String path = "/api/jobs/" + jobId;
        long started = System.nanoTime();
        String shown = null;
        while (true) {
            JsonNode job = fetch(path);
            boolean ended = ENDED.contains(Text.field(job, "status"));
            Duration elapsed = ended && job.path("durationMs").isNumber()
                    ? Duration.ofMillis(job.path("durationMs").asLong())
                    : Duration.ofNanos(System.nanoTime() - started);
            String line = line(job, elapsed);
            if (style == Style.BAR) {
                redraw(line);
                if (ended) {
                    progress.println();
                    drawn = 0;
                }
            } else if (!state(job).equals(shown)) {
                progress.println(line);
            }
            progress.flush();
            shown = state(job);
            if (ended) {
                return job;
            }
            pause(interval);
        }
    }

    /** The progress line: {@code map [#####.....]  50%  reduce [..........]   0%  1,234 records  0:02  RUNNING}. */
    static String line(JsonNode job, Duration elapsed) {
        int map = Text.percent(job, "mapProgress");
        int reduce = Text.percent(job, "reduceProgress");
        return String.format(
                "map [%s] %3d%%  reduce [%s] %3d%%  %s records  %s  %s",
                bar(map),
                map,
                bar(reduce),
                reduce,
                Text.count(job.path("counters").path("recordsRead").asLong(0)),
                Text.clock(elapsed),
                Text.field(job, "status"));
    }

    /** What makes a new line worth printing in {@link Style#LINES}: not the clock. */
    private static String state(JsonNode job) {
        return Text.field(job, "status") + " " + Text.percent(job, "mapProgress") + " "
                + Text.percent(job, "reduceProgress") + " "
                + job.path("counters").path("recordsRead").asLong(0);
    }

    private static String bar(int percent) {
        int full = percent * BAR_WIDTH / 100;
        return "#".repeat(full) + ".".repeat(BAR_WIDTH - full);
    }

    private void redraw(String line) {
        progress.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        drawn = line.length();
    }

    /** One view; when rate limited (or the cluster asks for a pause) wait as told, then ask once more. */
    private JsonNode fetch(String path) {
        try {
            return gateway.get(path);
        } catch (GatewayException e) {
            if (!e.isTransient()) {
                throw e;
            }
            Duration wait = e.retryAfter() == null ? DEFAULT_RETRY : e.retryAfter();
            if (wait.compareTo(LONGEST_WAIT) > 0) {
                wait = LONGEST_WAIT;
            }
            say(e.lines().get(0) + " (retrying in " + wait.toSeconds() + " s)");
            pause(wait);
            return gateway.get(path);
        }
    }

    private void say(String message) {
        if (style == Style.BAR && drawn > 0) {
            redraw(message);
            progress.println();
            drawn = 0;
        } else {
            progress.println(message);
        }
        progress.flush();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while following the job");
        }
    }

    /**
     * Whether standard input and output are a terminal. Java 22+ returns a console even when they
     * are redirected, and says so through {@code Console.isTerminal()}, which Java 17 lacks.
     */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException java17) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
