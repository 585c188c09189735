package dev.mapreduce.testing;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Deterministic generator of realistic application log lines, for tests and benchmarks.
 *
 * Run with any JDK 17+, no build needed:
 *   java ../shared/datasets/LogGen.java --lines 1000000 --format json --seed 42 > logs.jsonl
 *
 * The same arguments always give the same bytes. Options:
 *   --lines N           number of lines (default 100000)
 *   --format json|text  one JSON object per line, or a plain "timestamp LEVEL [service] host trace - message" line
 *   --seed S            random seed (default 42)
 *   --malformed R       fraction of lines that are deliberately broken (default 0): truncated JSON,
 *                       empty lines, invalid UTF-8, 100 kB lines, unknown level, missing fields
 *   --no-edge-cases     the broken lines are only ones that do not parse: no 100 kB "spam spam ..." line
 *                       and no unknown level, which parse and would dominate a word count (for demos)
 *   --start ISO         timestamp of the first line (default 2026-11-20T00:00:00Z)
 *   --eps N             events per second of simulated time, sets the timestamp spacing (default 1000)
 *   --out FILE          write to FILE instead of standard output
 *
 * Shape of the data: 12 services with skewed traffic (the busiest has ~30% of lines), levels
 * INFO/DEBUG/WARN/ERROR at about 70/15/10/5 percent with per-service error rates, messages drawn
 * from templates filled with ids, paths, latencies and HTTP status codes, plus a Zipf-distributed
 * vocabulary, so word counts have both a heavy head and a long tail of unique tokens.
 */
// A copy of the project's shared LogGen.java (shared/datasets), so tests generate large inputs themselves;
// the same arguments give the same bytes as the original.
public final class LogGen {

    static final String USAGE =
            """
        usage: java LogGen.java [--lines N] [--format json|text] [--seed S] [--malformed FRACTION]
                                [--no-edge-cases] [--start ISO-INSTANT] [--eps EVENTS_PER_SECOND] [--out FILE]
        Deterministic realistic application logs; the same arguments always give the same bytes.
        Defaults: 100000 lines, json, seed 42, no malformed lines, start 2026-11-20T00:00:00Z, 1000 eps, stdout.""";

    static final String[] SERVICES = {
        "api-gateway",
        "order-service",
        "payment-service",
        "user-service",
        "inventory-service",
        "auth-service",
        "search-service",
        "notification-service",
        "shipping-service",
        "recommendation-service",
        "billing-service",
        "analytics-service"
    };
    static final double[] SERVICE_WEIGHTS = {30, 14, 10, 9, 8, 7, 6, 5, 4, 3, 2, 2};
    static final double[] SERVICE_ERROR_RATE = {0.03, 0.05, 0.09, 0.02, 0.06, 0.04, 0.03, 0.05, 0.07, 0.02, 0.04, 0.01};
    static final String[] PATHS = {
        "/api/v1/orders",
        "/api/v1/orders/{id}",
        "/api/v1/users/{id}",
        "/api/v1/payments",
        "/api/v1/cart",
        "/api/v1/search",
        "/api/v1/products/{id}",
        "/api/v1/login",
        "/healthz",
        "/api/v2/recommendations",
        "/api/v1/shipments/{id}",
        "/api/v1/invoices"
    };
    static final String[] VERBS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    static final String[] CLASSES = {
        "OrderController", "PaymentClient", "UserRepository", "InventoryCache", "TokenValidator",
        "SearchIndex", "MailSender", "ShipmentPlanner", "RankingModel", "InvoiceWriter"
    };
    static final String[] EXCEPTIONS = {
        "NullPointerException", "IllegalStateException", "SocketTimeoutException",
        "SQLTransientConnectionException", "IOException", "ConcurrentModificationException"
    };
    static final String[] WORDS = buildVocabulary();

    public static void main(String[] args) throws IOException {
        long lines = 100_000;
        String format = "json";
        long seed = 42;
        double malformed = 0;
        Instant start = Instant.parse("2026-11-20T00:00:00Z");
        long eps = 1000;
        String out = null;
        boolean edgeCases = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--lines" -> {
                    lines = Long.parseLong(v);
                    i++;
                }
                case "--format" -> {
                    format = v;
                    i++;
                }
                case "--seed" -> {
                    seed = Long.parseLong(v);
                    i++;
                }
                case "--malformed" -> {
                    malformed = Double.parseDouble(v);
                    i++;
                }
                case "--start" -> {
                    start = Instant.parse(v);
                    i++;
                }
                case "--eps" -> {
                    eps = Long.parseLong(v);
                    i++;
                }
                case "--out" -> {
                    out = v;
                    i++;
                }
                case "--no-edge-cases" -> edgeCases = false;
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> {
                    System.err.println("unknown option " + a);
                    System.exit(2);
                }
            }
        }
        if (!format.equals("json") && !format.equals("text")) {
            System.err.println("--format must be json or text");
            System.exit(2);
        }
        try (OutputStream os =
                new BufferedOutputStream(out == null ? System.out : new FileOutputStream(out), 1 << 20)) {
            LogGen gen = new LogGen(seed);
            if (!edgeCases) {
                gen.withoutEdgeCases();
            }
            gen.write(os, lines, format.equals("json"), malformed, start, eps);
        }
    }

    private final SplittableRandom rnd;
    private final double[] serviceCdf;
    private final StringBuilder sb = new StringBuilder(512);
    private boolean edgeCases = true;

    public LogGen(long seed) {
        this.rnd = new SplittableRandom(seed);
        this.serviceCdf = cdf(SERVICE_WEIGHTS);
    }

    /**
     * Broken lines only of the kinds that do not parse (empty, truncated JSON, invalid UTF-8, no
     * timestamp or service): no 100 kB line of "spam" and no unknown level, which parse as records.
     */
    public LogGen withoutEdgeCases() {
        edgeCases = false;
        return this;
    }

    public void write(OutputStream os, long lines, boolean json, double malformed, Instant start, long eps)
            throws IOException {
        long startMillis = start.toEpochMilli();
        for (long n = 0; n < lines; n++) {
            long ts = startMillis + (n * 1000L) / eps;
            if (malformed > 0 && rnd.nextDouble() < malformed) {
                os.write(malformedLine(json, ts));
            } else {
                sb.setLength(0);
                line(json, ts);
                os.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            }
            os.write('\n');
        }
    }

    private void line(boolean json, long ts) {
        int s = pick(serviceCdf);
        String service = SERVICES[s];
        String host = service + "-" + (1 + rnd.nextInt(4));
        double r = rnd.nextDouble();
        String level;
        if (r < SERVICE_ERROR_RATE[s]) level = "ERROR";
        else if (r < SERVICE_ERROR_RATE[s] + 0.10) level = "WARN";
        else if (r < SERVICE_ERROR_RATE[s] + 0.25) level = "DEBUG";
        else level = "INFO";
        String trace = Long.toHexString(rnd.nextLong() | Long.MIN_VALUE);
        String message = message(level, service);
        String time = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(ts));
        if (json) {
            sb.append("{\"timestamp\":\"")
                    .append(time)
                    .append("\",\"level\":\"")
                    .append(level)
                    .append("\",\"service\":\"")
                    .append(service)
                    .append("\",\"host\":\"")
                    .append(host)
                    .append("\",\"traceId\":\"")
                    .append(trace)
                    .append("\",\"message\":\"");
            escape(message);
            sb.append("\"}");
        } else {
            sb.append(time)
                    .append(' ')
                    .append(level)
                    .append(' ')
                    .append('[')
                    .append(service)
                    .append("] ")
                    .append(host)
                    .append(' ')
                    .append(trace)
                    .append(" - ")
                    .append(message);
        }
    }

    private String message(String level, String service) {
        switch (level) {
            case "ERROR": {
                int k = rnd.nextInt(4);
                if (k == 0) {
                    String cls = CLASSES[rnd.nextInt(CLASSES.length)];
                    return EXCEPTIONS[rnd.nextInt(EXCEPTIONS.length)] + " at com.example." + cls + ".handle(" + cls
                            + ".java:" + (20 + rnd.nextInt(400)) + ") " + words(3);
                }
                if (k == 1) {
                    return "Connection timeout to " + SERVICES[rnd.nextInt(SERVICES.length)] + " after "
                            + (1000 + rnd.nextInt(9000)) + " ms";
                }
                if (k == 2) {
                    return request(true) + " failed: " + words(4);
                }
                return "Payment declined for user " + rnd.nextInt(100_000) + ": " + words(2);
            }
            case "WARN": {
                if (rnd.nextBoolean()) {
                    return "Slow query on " + words(1) + " took " + (500 + rnd.nextInt(5000)) + " ms";
                }
                return "Retrying call to " + SERVICES[rnd.nextInt(SERVICES.length)] + " attempt " + (1 + rnd.nextInt(3))
                        + " " + words(2);
            }
            case "DEBUG":
                return "Cache " + (rnd.nextBoolean() ? "hit" : "miss") + " for key " + service.charAt(0) + ":"
                        + rnd.nextInt(50_000) + " " + words(2);
            default:
                return rnd.nextInt(3) == 0 ? "User " + rnd.nextInt(100_000) + " " + words(5) : request(false);
        }
    }

    private String request(boolean failed) {
        String path = PATHS[rnd.nextInt(PATHS.length)].replace("{id}", Integer.toString(rnd.nextInt(1_000_000)));
        int status = failed ? (rnd.nextInt(3) == 0 ? 503 : 500) : (rnd.nextInt(20) == 0 ? 404 : 200);
        return VERBS[rnd.nextInt(VERBS.length)] + " " + path + " status " + status + " in "
                + (2 + (int) Math.abs(rnd.nextDouble() * rnd.nextDouble() * 2000)) + " ms";
    }

    private String words(int n) {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) w.append(' ');
            w.append(WORDS[zipf()]);
        }
        return w.toString();
    }

    /** Zipf-like index into WORDS: a heavy head and a long tail. */
    private int zipf() {
        double u = rnd.nextDouble();
        int i = (int) Math.floor(Math.pow(WORDS.length + 1.0, u)) - 1;
        return Math.min(Math.max(i, 0), WORDS.length - 1);
    }

    /** The kinds of {@link #malformedLine} that do not parse (3 and 4 do). */
    private static final int[] UNPARSEABLE = {0, 1, 2, 5};

    private byte[] malformedLine(boolean json, long ts) {
        int k = edgeCases ? rnd.nextInt(6) : UNPARSEABLE[rnd.nextInt(UNPARSEABLE.length)];
        String time = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(ts));
        return switch (k) {
            case 0 -> new byte[0];
            case 1 -> ("{\"timestamp\":\"" + time + "\",\"level\":\"ERR").getBytes(StandardCharsets.UTF_8);
            case 2 -> new byte[] {(byte) 0xC3, (byte) 0x28, 'o', 'o', 'p', 's', (byte) 0xFF, (byte) 0xFE};
            case 3 -> {
                StringBuilder big = new StringBuilder(100_100);
                big.append(
                        json
                                ? "{\"timestamp\":\"" + time
                                        + "\",\"level\":\"INFO\",\"service\":\"api-gateway\",\"message\":\""
                                : time + " INFO [api-gateway] api-gateway-1 0 - ");
                while (big.length() < 100_000) big.append("spam ");
                if (json) big.append("\"}");
                yield big.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 4 ->
                (json
                                ? "{\"timestamp\":\"" + time
                                        + "\",\"level\":\"LOUD\",\"service\":\"??\",\"message\":\"unknown level\"}"
                                : time + " LOUD [??] x 0 - unknown level")
                        .getBytes(StandardCharsets.UTF_8);
            default ->
                (json ? "{\"message\":\"no timestamp nor service\"}" : "garbage without structure")
                        .getBytes(StandardCharsets.UTF_8);
        };
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c);
        }
    }

    private int pick(double[] cdf) {
        double u = rnd.nextDouble();
        for (int i = 0; i < cdf.length; i++) if (u < cdf[i]) return i;
        return cdf.length - 1;
    }

    private static double[] cdf(double[] w) {
        double total = 0;
        for (double x : w) total += x;
        double[] c = new double[w.length];
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i] / total;
            c[i] = acc;
        }
        return c;
    }

    private static String[] buildVocabulary() {
        String[] common = {
            "request",
            "processed",
            "user",
            "session",
            "cache",
            "timeout",
            "retry",
            "order",
            "payment",
            "queue",
            "message",
            "received",
            "sent",
            "token",
            "expired",
            "refresh",
            "database",
            "query",
            "connection",
            "pool",
            "exhausted",
            "latency",
            "high",
            "low",
            "disk",
            "memory",
            "cpu",
            "gc",
            "pause",
            "thread",
            "blocked",
            "lock",
            "acquired",
            "released",
            "batch",
            "job",
            "scheduled",
            "completed",
            "started",
            "stopped",
            "failed",
            "success",
            "invalid",
            "input",
            "validation",
            "error",
            "warning",
            "config",
            "reloaded",
            "feature",
            "flag",
            "enabled",
            "disabled",
            "metric",
            "exported",
            "health",
            "check",
            "passed",
            "degraded",
            "replica",
            "leader",
            "elected",
            "shard",
            "rebalanced",
            "partition",
            "offset",
            "committed",
            "consumer",
            "producer",
            "lag",
            "snapshot"
        };
        String syll = "ka ri to mo ne su la vi de po zu fa ge hi bo ma ta ke ni ro";
        String[] s = syll.split(" ");
        String[] vocab = new String[common.length + 20_000];
        System.arraycopy(common, 0, vocab, 0, common.length);
        SplittableRandom r = new SplittableRandom(7);
        for (int i = common.length; i < vocab.length; i++) {
            int len = 2 + r.nextInt(3);
            StringBuilder w = new StringBuilder();
            for (int j = 0; j < len; j++) w.append(s[r.nextInt(s.length)]);
            vocab[i] = w.append(i % 97).toString();
        }
        return vocab;
    }
}
