package dev.mapreduce.testing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic generators of realistic log lines in the formats of issue 13, each line with the
 * field values a correct parser must give (null: absent) and the instant its timestamp stands for.
 * They write the lines the way the software that produces them does (Apache's and nginx's access
 * logs, Apache's error log, rsyslog, RFC 5424 senders, log4j/logback/Zookeeper, Go's slog, ECS
 * loggers, spreadsheets' CSV), with the awkward cases those writers produce: IPv6 clients, {@code -}
 * sizes, escaped quotes, nil values, byte order marks, stack traces, quoted delimiters.
 */
public final class FormatGen {

    /** A generated line (or multi-line event), its fields, and the instant of its timestamp (null: none). */
    public record Line(String text, Map<String, String> fields, Instant time) {}

    private static final String[] SERVICES = {"checkout", "payments", "search", "auth", "inventory"};
    private static final String[] PATHS = {
        "/",
        "/cart",
        "/api/orders",
        "/api/orders/8812",
        "/static/app.js",
        "/search?q=red+shoes&page=2",
        "/login",
        "/health",
        "/api/v1/users/42/avatar.png"
    };
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE", "HEAD"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "curl/8.5.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15",
        "kube-probe/1.30",
        "Go-http-client/1.1",
        "python-requests/2.32.3",
        "evil \\\"quoted\\\" agent"
    };
    private static final String[] WORDS = {
        "order",
        "created",
        "payment",
        "declined",
        "user",
        "login",
        "timeout",
        "retry",
        "cache",
        "miss",
        "for",
        "after",
        "ms",
        "request",
        "failed",
        "connection",
        "reset",
        "slow"
    };
    private static final int[] STATUSES = {
        200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 404, 500, 502, 503
    };
    private static final DateTimeFormatter HTTPDATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final DateTimeFormatter APACHE_ERROR =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter APACHE_ERROR_MICROS =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss.SSSSSS yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter LOG4J = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");

    private final SplittableRandom random;
    private Instant clock;

    public FormatGen(long seed) {
        this.random = new SplittableRandom(seed);
        this.clock = Instant.parse("2026-11-20T08:00:00Z");
    }

    /** The instant of the next line: a few hundred milliseconds after the previous one. */
    private Instant tick() {
        clock = clock.plusMillis(random.nextInt(1, 900));
        return clock;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private String words(int min, int max) {
        int n = random.nextInt(min, max + 1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                s.append(' ');
            }
            s.append(pick(WORDS));
            if (random.nextInt(5) == 0) {
                s.append(random.nextInt(10_000));
            }
        }
        return s.toString();
    }

    private String ipv4() {
        return random.nextInt(1, 224) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + random.nextInt(1, 255);
    }

    private String client() {
        return switch (random.nextInt(8)) {
            case 0 -> "2001:db8::" + Integer.toHexString(random.nextInt(1, 0xffff));
            case 1 -> "proxy-" + random.nextInt(9) + ".example.net";
            default -> ipv4();
        };
    }

    private static Map<String, String> fields(Object... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (String) kv[i + 1]);
        }
        return m;
    }

    // ---- access logs ----

    /** An Apache common (combined: with referrer and user agent) access log line, as Apache and nginx write it. */
    public Line access(boolean combined) {
        Instant t = tick();
        ZoneOffset zone = ZoneOffset.ofHours(random.nextInt(-8, 10));
        String client = client();
        String user = random.nextInt(4) == 0 ? "user" + random.nextInt(50) : "-";
        String method = pick(METHODS);
        String path = pick(PATHS);
        String protocol = random.nextInt(10) == 0 ? "HTTP/1.0" : "HTTP/1.1";
        String request;
        String m = method;
        String p = path;
        String proto = protocol;
        switch (random.nextInt(40)) {
            case 0 -> {
                request = "-"; // nginx: a connection closed before the request line
                m = p = proto = null;
            }
            case 1 -> {
                request = "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03"; // TLS on the plain port
                m = p = proto = null;
            }
            case 2 -> {
                request = method + " " + path; // HTTP/0.9
                proto = null;
            }
            case 3 -> {
                path = "/search?q=\\\"quoted\\\"";
                request = method + " " + path + " " + protocol;
                p = path;
            }
            default -> request = method + " " + path + " " + protocol;
        }
        int status = STATUSES[random.nextInt(STATUSES.length)];
        String bytes = status == 204 || status == 304 || random.nextInt(20) == 0
                ? "-"
                : Integer.toString(random.nextInt(0, 200_000));
        StringBuilder line = new StringBuilder()
                .append(client)
                .append(" - ")
                .append(user)
                .append(" [")
                .append(HTTPDATE.format(t.atZone(zone)))
                .append("] \"")
                .append(request)
                .append("\" ")
                .append(status)
                .append(' ')
                .append(bytes);
        Map<String, String> f = fields(
                "client", client,
                "ident", "-",
                "user", user,
                "timestamp", HTTPDATE.format(t.atZone(zone)),
                "request", request,
                "method", m,
                "path", p,
                "protocol", proto,
                "status", Integer.toString(status),
                "bytes", bytes.equals("-") ? null : bytes,
                "rest", null);
        if (combined) {
            String referrer = random.nextInt(3) == 0 ? "-" : "https://shop.example" + pick(PATHS);
            String agent = pick(AGENTS);
            line.append(" \"").append(referrer).append("\" \"").append(agent).append('"');
            f.put("referrer", referrer);
            f.put("user_agent", agent);
        }
        return new Line(line.toString(), f, t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    // ---- apache error log ----

    public Line apacheError() {
        Instant t = tick();
        ZonedDateTime local = t.atZone(ZoneOffset.UTC);
        String level = pick(new String[] {"error", "warn", "notice", "crit", "info"});
        String message = "File does not exist: /var/www/html" + pick(PATHS).split("\\?")[0];
        if (random.nextBoolean()) {
            // 2.2: [time] [level] [client ip] message
            String client = random.nextInt(3) == 0 ? null : ipv4();
            String line = "[" + APACHE_ERROR.format(local) + "] [" + level + "] "
                    + (client == null ? "" : "[client " + client + "] ") + message;
            return new Line(
                    line,
                    fields(
                            "timestamp",
                            APACHE_ERROR.format(local),
                            "module",
                            null,
                            "level",
                            level,
                            "pid",
                            null,
                            "tid",
                            null,
                            "client",
                            client,
                            "client_port",
                            null,
                            "code",
                            null,
                            "message",
                            message),
                    t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
        String module = pick(new String[] {"core", "ssl", "proxy", "authz_core", "mpm_event"});
        String pid = Integer.toString(random.nextInt(100, 99_999));
        String tid = random.nextBoolean() ? Long.toString(random.nextLong(1L << 40)) : null;
        String client = random.nextInt(4) == 0 ? null : ipv4();
        String port = client == null ? null : Integer.toString(random.nextInt(1024, 65535));
        String code = random.nextInt(5) == 0 ? null : String.format("AH%05d", random.nextInt(100_000));
        Instant micros = t.plusNanos(random.nextInt(1000) * 1000L);
        String stamp = APACHE_ERROR_MICROS.format(micros.atZone(ZoneOffset.UTC));
        String line = "[" + stamp + "] [" + module + ":" + level + "] [pid " + pid + (tid == null ? "" : ":tid " + tid)
                + "]" + (client == null ? "" : " [client " + client + ":" + port + "]") + " "
                + (code == null ? "" : code + ": ") + message;
        return new Line(
                line,
                fields(
                        "timestamp",
                        stamp,
                        "module",
                        module,
                        "level",
                        level,
                        "pid",
                        pid,
                        "tid",
                        tid,
                        "client",
                        client,
                        "client_port",
                        port,
                        "code",
                        code,
                        "message",
                        message),
                micros);
    }

    // ---- syslog ----

    private static final String[] PROGRAMS = {"sshd", "CRON", "kernel", "systemd", "postfix/smtpd", "nginx"};
    private static final String[] SEVERITY_NAMES = {
        "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"
    };

    /** BSD syslog as sent (with PRI) or as rsyslog writes files (without), or with an ISO stamp; {@code year} completes the year-less ones. */
    public Line syslog3164(int year) {
        Instant t = tick().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ZonedDateTime at = t.atZone(ZoneOffset.UTC).withYear(year);
        boolean pri = random.nextBoolean();
        int priority = random.nextInt(0, 192);
        String host = pick(new String[] {"web-3", "db-1", "10.1.2.3", "mail.example.org"});
        String program = pick(PROGRAMS);
        String pid = random.nextInt(3) == 0 ? null : Integer.toString(random.nextInt(1, 65_000));
        String message = words(2, 9);
        boolean iso = random.nextInt(6) == 0;
        String stamp = iso ? "2026-11-20T08:15:30.123456+01:00" : SYSLOG.format(at);
        Instant time = iso ? Instant.parse("2026-11-20T07:15:30.123456Z") : at.toInstant();
        StringBuilder line = new StringBuilder();
        if (pri) {
            line.append('<').append(priority).append('>');
        }
        line.append(stamp).append(' ').append(host).append(' ').append(program);
        if (pid != null) {
            line.append('[').append(pid).append(']');
        }
        line.append(": ").append(message);
        return new Line(
                line.toString(),
                fields(
                        "priority",
                        pri ? Integer.toString(priority) : null,
                        "facility",
                        pri ? Integer.toString(priority / 8) : null,
                        "severity",
                        pri ? Integer.toString(priority % 8) : null,
                        "level",
                        pri ? SEVERITY_NAMES[priority % 8] : null,
                        "timestamp",
                        stamp,
                        "host",
                        host,
                        "program",
                        program,
                        "pid",
                        pid,
                        "message",
                        message),
                time);
    }

    /** RFC 5424 with nil values, structured data with escapes, and messages with or without a BOM. */
    public Line syslog5424() {
        Instant t = tick();
        int priority = random.nextInt(0, 192);
        String stamp = random.nextInt(5) == 0
                ? null
                : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        t.atZone(ZoneOffset.ofTotalSeconds(random.nextInt(-10, 11) * 1800)));
        String host =
                random.nextInt(6) == 0 ? null : pick(new String[] {"mymachine.example.com", "web-3", "192.0.2.7"});
        String app = random.nextInt(6) == 0 ? null : pick(new String[] {"evntslog", "sshd", "su", "billing-api"});
        String procid = random.nextInt(3) == 0 ? null : Integer.toString(random.nextInt(1, 65_000));
        String msgid = random.nextInt(2) == 0 ? null : "ID" + random.nextInt(100);
        String sd =
                switch (random.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]";
                    case 2 ->
                        "[meta sequenceId=\"" + random.nextInt(1000)
                                + "\"][origin ip=\"192.0.2.1\" software=\"a \\\"b\\\" c\\]\"]";
                    default -> "[timeQuality tzKnown=\"1\" isSynced=\"1\"]";
                };
        String message = random.nextInt(8) == 0 ? null : words(1, 10);
        boolean bom = message != null && random.nextInt(4) == 0;
        String line = "<" + priority + ">1 " + nil(stamp) + " " + nil(host) + " " + nil(app) + " " + nil(procid) + " "
                + nil(msgid) + " " + nil(sd) + (message == null ? "" : " " + (bom ? "\uFEFF" : "") + message);
        return new Line(
                line,
                fields(
                        "priority",
                        Integer.toString(priority),
                        "facility",
                        Integer.toString(priority / 8),
                        "severity",
                        Integer.toString(priority % 8),
                        "level",
                        SEVERITY_NAMES[priority % 8],
                        "version",
                        "1",
                        "timestamp",
                        stamp,
                        "host",
                        host,
                        "app",
                        app,
                        "procid",
                        procid,
                        "msgid",
                        msgid,
                        "structured_data",
                        sd,
                        "message",
                        message),
                stamp == null ? null : t);
    }

    private static String nil(String s) {
        return s == null ? "-" : s;
    }

    // ---- log4j ----

    private static final String[] LOGGERS = {
        "com.shop.App",
        "com.shop.payments.PaymentService",
        "org.apache.kafka.clients.NetworkClient",
        "o.s.web.servlet.DispatcherServlet"
    };
    private static final String[] THREADS = {
        "main",
        "http-nio-8080-exec-3",
        "kafka-producer-network-thread | p-1",
        "pool-2-thread-1",
        "QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181"
    };
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR", "TRACE", "FATAL"};

    /** A log4j/logback/Zookeeper/Hadoop event, sometimes with a stack trace (its lines joined with \n). */
    public Line log4j() {
        Instant t = tick();
        String stamp = LOG4J.format(t.atZone(ZoneOffset.UTC));
        String level = pick(LEVELS);
        String thread = pick(THREADS);
        String logger = pick(LOGGERS);
        String message = words(1, 12);
        String line;
        String lineNo = null;
        switch (random.nextInt(4)) {
            case 0 ->
                line = stamp + " " + String.format("%-5s", level) + " [" + thread + "] " + logger + " - " + message;
            case 1 ->
                line = stamp + " [" + thread + "] " + String.format("%-5s", level) + " " + logger + " - " + message;
            case 2 -> {
                // Zookeeper: %d{ISO8601} - %-5p [%t:%C{1}@%L] - %m
                logger = pick(new String[] {"FastLeaderElection", "NIOServerCnxnFactory", "QuorumPeer"});
                lineNo = Integer.toString(random.nextInt(1, 2000));
                line = stamp + " - " + String.format("%-5s", level) + " [" + thread + ":" + logger + "@" + lineNo
                        + "] - " + message;
            }
            default -> line = stamp + " " + level + " [" + thread + "] " + logger + ": " + message; // Hadoop
        }
        String exception = null;
        String stack = null;
        if (level.equals("ERROR") || level.equals("FATAL") || random.nextInt(30) == 0) {
            exception = pick(new String[] {
                "java.lang.IllegalStateException",
                "java.net.SocketTimeoutException",
                "org.apache.kafka.common.errors.TimeoutException"
            });
            StringBuilder s = new StringBuilder(exception).append(": ").append(words(1, 5));
            int frames = random.nextInt(1, 12);
            for (int i = 0; i < frames; i++) {
                s.append("\n\tat com.shop.Frame")
                        .append(i)
                        .append(".call(Frame")
                        .append(i)
                        .append(".java:")
                        .append(random.nextInt(1, 500))
                        .append(')');
            }
            if (random.nextBoolean()) {
                s.append(
                        "\nCaused by: java.io.IOException: Connection reset\n\tat java.base/sun.nio.ch.Net.poll(Native Method)");
                s.append("\n\t... ").append(random.nextInt(3, 40)).append(" more");
            }
            stack = s.toString();
            line = line + "\n" + stack;
        }
        return new Line(
                line,
                fields(
                        "timestamp",
                        stamp,
                        "level",
                        level,
                        "thread",
                        thread,
                        "logger",
                        logger,
                        "line",
                        lineNo,
                        "message",
                        message,
                        "exception",
                        exception,
                        "stack_trace",
                        stack),
                t);
    }

    // ---- logfmt ----

    public Line logfmt() {
        Instant t = tick();
        String time = DateTimeFormatter.ISO_INSTANT.format(t);
        String level = pick(new String[] {"INFO", "WARN", "ERROR", "DEBUG"});
        String msg = words(1, 6);
        String status = Integer.toString(STATUSES[random.nextInt(STATUSES.length)]);
        String user = random.nextInt(4) == 0 ? null : "u" + random.nextInt(100);
        String note = random.nextInt(5) == 0 ? "said \"hi\"\\ok" : null;
        String dur = random.nextInt(1, 3000) + "ms";
        StringBuilder line = new StringBuilder("time=")
                .append(time)
                .append(" level=")
                .append(level)
                .append(" msg=\"")
                .append(msg)
                .append("\" status=")
                .append(status)
                .append(" dur=")
                .append(dur);
        if (user != null) {
            line.append(" user=").append(user);
        }
        if (note != null) {
            line.append(" note=\"said \\\"hi\\\"\\\\ok\"");
        }
        boolean flag = random.nextInt(6) == 0;
        if (flag) {
            line.append(" cached");
        }
        return new Line(
                line.toString(),
                fields(
                        "time",
                        time,
                        "level",
                        level,
                        "msg",
                        msg,
                        "status",
                        status,
                        "dur",
                        dur,
                        "user",
                        user,
                        "note",
                        note,
                        "cached",
                        flag ? "" : null),
                t);
    }

    // ---- ECS JSON ----

    public Line ecsJson() {
        Instant t = tick();
        String ts = DateTimeFormatter.ISO_INSTANT.format(t);
        String level = pick(new String[] {"INFO", "WARN", "ERROR", "DEBUG"});
        String service = pick(SERVICES);
        String message = words(1, 8);
        String logger = pick(LOGGERS);
        String status = random.nextInt(3) == 0 ? null : Integer.toString(STATUSES[random.nextInt(STATUSES.length)]);
        String errorType = level.equals("ERROR") ? "java.lang.IllegalStateException" : null;
        String line;
        if (random.nextBoolean()) {
            // ecs-logging-java: every member flat, dotted names
            line = "{\"@timestamp\":\"" + ts + "\",\"log.level\":\"" + level + "\",\"message\":\"" + message
                    + "\",\"ecs.version\":\"1.2.0\",\"service.name\":\"" + service + "\",\"log.logger\":\"" + logger
                    + "\"" + (status == null ? "" : ",\"http.response.status_code\":" + status)
                    + (errorType == null ? "" : ",\"error.type\":\"" + errorType + "\"") + "}";
        } else {
            // ecs-logging-python: some flat, some nested
            line = "{\"@timestamp\":\"" + ts + "\",\"log.level\":\"" + level.toLowerCase(Locale.ROOT)
                    + "\",\"message\":\""
                    + message + "\",\"ecs\":{\"version\":\"1.6.0\"},\"log\":{\"logger\":\"" + logger
                    + "\",\"origin\":{\"file\":{\"line\":12}}},\"service\":{\"name\":\"" + service + "\"}"
                    + (status == null ? "" : ",\"http\":{\"response\":{\"status_code\":" + status + "}}")
                    + (errorType == null ? "" : ",\"error\":{\"type\":\"" + errorType + "\"}") + "}";
            level = level.toLowerCase(Locale.ROOT);
        }
        return new Line(
                line,
                fields(
                        "timestamp",
                        ts,
                        "level",
                        level,
                        "service",
                        service,
                        "message",
                        message,
                        "logger",
                        logger,
                        "http.response.status_code",
                        status,
                        "error.type",
                        errorType),
                t);
    }

    // ---- CSV ----

    /** A CSV row of {@code time,user,action,amount,note} with quoted commas, doubled quotes and empty values. */
    public Line csv(char delimiter) {
        Instant t = tick();
        String time = DateTimeFormatter.ISO_INSTANT.format(t);
        String user = "user" + random.nextInt(100);
        String action =
                pick(new String[] {"login", "paid, with coupon", "said \"hi\"", "logout", "x" + delimiter + "y"});
        String amount = random.nextInt(4) == 0 ? null : Integer.toString(random.nextInt(10_000));
        String note =
                switch (random.nextInt(4)) {
                    case 0 -> null; // empty unquoted: absent
                    case 1 -> ""; // "" quoted: empty
                    default -> words(1, 3);
                };
        String d = String.valueOf(delimiter);
        String line = String.join(
                d,
                time,
                user,
                csvQuote(action, delimiter),
                amount == null ? "" : amount,
                note == null ? "" : note.isEmpty() ? "\"\"" : csvQuote(note, delimiter));
        return new Line(line, fields("time", time, "user", user, "action", action, "amount", amount, "note", note), t);
    }

    private static String csvQuote(String v, char delimiter) {
        if (v.indexOf(delimiter) >= 0 || v.contains("\"")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    /** {@code n} lines of one generator. */
    public List<Line> lines(int n, java.util.function.Supplier<Line> generator) {
        List<Line> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(generator.get());
        }
        return out;
    }
}
