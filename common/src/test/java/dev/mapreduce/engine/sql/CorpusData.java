package dev.mapreduce.engine.sql;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Deterministic JSON lines for the SQL corpus: two hours across a day boundary (23:00 to 01:00),
 * one huge group (half the lines are api-gateway), unicode services and messages, JSON escapes,
 * empty and padded messages, latencies ("in N ms"), user ids, and numbers as text.
 */
final class CorpusData {

    static final String[] SERVICES = {
        "api-gateway", "order-service", "café-service", "日本-api", "emoji-🚀", "payment-service", "Auth-Service", "z"
    };
    static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR", "Trace"};

    private CorpusData() {}

    /** How the same events are written. */
    enum Shape {
        /** The default format: flat, the four fields always there. */
        DEFAULT,
        /** ecs_json: {@code @timestamp}, nested {@code log.level} and {@code service.name}. */
        ECS,
        /**
         * json with renames: {@code lvl}, nested {@code svc.name}; one line in 20 has no level, one
         * in 20 a null one (NULLs for real).
         */
        JSON
    }

    static void write(Path file, int lines, long seed) throws IOException {
        write(file, lines, seed, Shape.DEFAULT);
    }

    static void write(Path file, int lines, long seed, Shape shape) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        long t = Instant.parse("2026-11-20T23:00:00Z").toEpochMilli();
        long step = 2 * 3600_000L / Math.max(1, lines);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                t += 1 + rnd.nextLong(2 * step);
                String service = json(rnd.nextBoolean() ? SERVICES[0] : SERVICES[rnd.nextInt(SERVICES.length)]);
                String level = LEVELS[rnd.nextInt(LEVELS.length)];
                String ts = Instant.ofEpochMilli(t).toString();
                if (rnd.nextInt(10) == 0) {
                    ts = ts.replace("Z", "+00:00");
                }
                String host = "h" + rnd.nextInt(4);
                String message = json(message(rnd));
                int missing = rnd.nextInt(20);
                out.write(
                        switch (shape) {
                            case DEFAULT ->
                                "{\"timestamp\":\"" + ts + "\",\"level\":\"" + level + "\",\"service\":\"" + service
                                        + "\",\"host\":\"" + host + "\",\"message\":\"" + message + "\"}\n";
                            case ECS ->
                                "{\"@timestamp\":\"" + ts + "\",\"log\":{\"level\":\"" + level
                                        + "\",\"logger\":\"app\"},"
                                        + "\"message\":\"" + message + "\",\"service\":{\"name\":\"" + service + "\"},"
                                        + "\"host\":{\"hostname\":\"" + host + "\"}}\n";
                            case JSON ->
                                "{\"timestamp\":\"" + ts + "\","
                                        + (missing == 0
                                                ? ""
                                                : missing == 1 ? "\"lvl\":null," : "\"lvl\":\"" + level + "\",")
                                        + "\"svc\":{\"name\":\"" + service + "\",\"host\":\"" + host
                                        + "\"},\"message\":\"" + message + "\"}\n";
                        });
            }
        }
    }

    private static String message(SplittableRandom rnd) {
        return switch (rnd.nextInt(12)) {
            case 0, 1, 2 ->
                new String[] {"GET", "POST", "PUT"}[rnd.nextInt(3)] + " /api/v1/orders/" + rnd.nextInt(50) + " status "
                        + (rnd.nextInt(8) == 0 ? 503 : 200) + " in " + (1 + rnd.nextInt(2000)) + " ms";
            case 3 -> "User " + rnd.nextInt(3000) + " logged in from h" + rnd.nextInt(9);
            case 4 -> "Payment declined for user " + rnd.nextInt(3000) + ": insufficient funds";
            case 5 -> "Ünïcödé message ÄÖÜ ß " + rnd.nextInt(100) + " ✓";
            case 6 -> rnd.nextInt(4) == 0 ? "" : "  padded " + rnd.nextInt(10) + "  ";
            case 7 -> "tab\there \"quoted\" back\\slash " + rnd.nextInt(5);
            case 8 -> "Slow query took " + (500 + rnd.nextInt(5000)) + "ms on shard-" + rnd.nextInt(3);
            case 9 -> "value=" + rnd.nextInt(1000) + "." + rnd.nextInt(10) + " ratio " + rnd.nextInt(3);
            case 10 -> "Connection timeout to db after " + (1000 + rnd.nextInt(9000)) + " ms, retry " + rnd.nextInt(4);
            default -> "Cache " + (rnd.nextBoolean() ? "hit" : "MISS") + " key k" + rnd.nextInt(20000);
        };
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
