package dev.mapreduce.engine.format.preset;

import dev.mapreduce.engine.format.CompiledFormat;
import dev.mapreduce.engine.format.FieldType;
import dev.mapreduce.engine.format.Timestamps;
import java.util.List;

/** The preset formats whose parsers are written by hand: access logs, Apache errors, syslog, log4j. */
public final class Presets {

    private Presets() {}

    public static CompiledFormat.Builder apacheCommon() {
        return access(CompiledFormat.builder("apache_common", f -> new AccessLogParser(false, f)))
                .sampleLines(List.of(
                        "203.0.113.9 - alice [10/Oct/2026:13:55:36 -0700] \"GET /cart?id=7 HTTP/1.1\" 200 2326",
                        "198.51.100.23 - - [10/Oct/2026:13:55:37 -0700] \"POST /api/orders HTTP/1.1\" 201 -"));
    }

    public static CompiledFormat.Builder apacheCombined() {
        return access(CompiledFormat.builder("apache_combined", f -> new AccessLogParser(true, f)))
                .field("referrer", FieldType.STRING, "the Referer header, as written (- when none)")
                .field("user_agent", FieldType.STRING, "the User-Agent header, as written")
                .sampleLines(List.of(
                        "203.0.113.9 - alice [10/Oct/2026:13:55:36 -0700] \"GET /cart?id=7 HTTP/1.1\" 200 2326"
                                + " \"https://shop.example/\" \"Mozilla/5.0 (X11; Linux x86_64)\"",
                        "2001:db8::7 - - [10/Oct/2026:13:55:37 +0000] \"GET /robots.txt HTTP/1.1\" 404 153 \"-\""
                                + " \"curl/8.5.0\""));
    }

    private static CompiledFormat.Builder access(CompiledFormat.Builder b) {
        return b.field("client", FieldType.STRING, "the client address (%h, $remote_addr)")
                .field("ident", FieldType.STRING, "the identd user, as written (- when none)")
                .field("user", FieldType.STRING, "the authenticated user, as written (- when none)")
                .field("timestamp", FieldType.TIMESTAMP, "when the request was received (dd/MMM/yyyy:HH:mm:ss Z)")
                .field("request", FieldType.STRING, "the request line, as written (GET /cart HTTP/1.1)")
                .field("method", FieldType.STRING, "the request's method (absent when the line has no such shape)")
                .field("path", FieldType.STRING, "the request's path and query")
                .field("protocol", FieldType.STRING, "the request's protocol (HTTP/1.1)")
                .field("status", FieldType.LONG, "the status code")
                .field("bytes", FieldType.LONG, "the response size in bytes (absent for -)")
                .field("rest", FieldType.STRING, "anything after the last field")
                .timestampField("timestamp")
                .timestampPatterns("timestamp", List.of(Timestamps.HTTPDATE));
    }

    public static CompiledFormat.Builder apacheError() {
        return CompiledFormat.builder("apache_error", ApacheErrorParser::new)
                .field(
                        "timestamp",
                        FieldType.TIMESTAMP,
                        "when (EEE MMM dd HH:mm:ss[.SSSSSS] yyyy, in the zone configured)")
                .field("module", FieldType.STRING, "the module (2.4: core, ssl, ...)")
                .field("level", FieldType.STRING, "the level (error, warn, notice, ...)")
                .field("pid", FieldType.LONG, "the process id")
                .field("tid", FieldType.LONG, "the thread id")
                .field("client", FieldType.STRING, "the client address")
                .field("client_port", FieldType.LONG, "the client port")
                .field("code", FieldType.STRING, "the error code (AH00128)")
                .field("message", FieldType.STRING, "the message")
                .timestampField("timestamp")
                .timestampPatterns("timestamp", List.of("EEE MMM dd HH:mm:ss[.SSSSSS] yyyy"))
                .sampleLines(List.of(
                        "[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client"
                                + " 72.15.99.187:34233] AH00128: File does not exist: /usr/local/apache2/htdocs/favicon.ico",
                        "[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server configuration:"
                                + " /export/home/live/ap/htdocs/test"));
    }

    public static CompiledFormat.Builder syslog3164() {
        return syslogCommon(CompiledFormat.builder("syslog_rfc3164", Syslog3164Parser::new))
                .field("host", FieldType.STRING, "the host")
                .field("program", FieldType.STRING, "the program of the tag (su in su[230]:)")
                .field("pid", FieldType.LONG, "the process id of the tag")
                .field("message", FieldType.STRING, "the message")
                .field("service", FieldType.STRING, "the program")
                .rename("service", "program")
                .timestampField("timestamp")
                .timestampPatterns("timestamp", List.of(Timestamps.SYSLOG, Timestamps.ISO8601))
                .sampleLines(List.of(
                        "<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8",
                        "Oct  1 06:25:01 web-3 CRON[4121]: (root) CMD (run-parts /etc/cron.hourly)",
                        "2026-11-20T08:15:30.123456+01:00 web-3 kernel: eth0: link up"));
    }

    public static CompiledFormat.Builder syslog5424() {
        return syslogCommon(CompiledFormat.builder("syslog_rfc5424", Syslog5424Parser::new))
                .field("version", FieldType.LONG, "the protocol version (1)")
                .field("host", FieldType.STRING, "the host")
                .field("app", FieldType.STRING, "the app name")
                .field("procid", FieldType.STRING, "the process id")
                .field("msgid", FieldType.STRING, "the message id")
                .field("structured_data", FieldType.STRING, "the structured data, as written")
                .field("message", FieldType.STRING, "the message")
                .field("service", FieldType.STRING, "the app name")
                .rename("service", "app")
                .timestampField("timestamp")
                .timestampPatterns("timestamp", List.of(Timestamps.ISO8601))
                .sampleLines(List.of(
                        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\""
                                + " eventSource=\"Application\" eventID=\"1011\"] An application event log entry",
                        "<34>1 2026-11-20T08:15:30.123456+01:00 web-3 sshd 4121 - - Accepted publickey for deploy"));
    }

    private static CompiledFormat.Builder syslogCommon(CompiledFormat.Builder b) {
        return b.field("priority", FieldType.LONG, "the PRI: facility * 8 + severity")
                .field("facility", FieldType.LONG, "the facility number (0-23)")
                .field("severity", FieldType.LONG, "the severity number (0-7)")
                .field(
                        "level",
                        FieldType.STRING,
                        "the severity's name: emerg, alert, crit, err, warning, notice, info, debug")
                .field("timestamp", FieldType.TIMESTAMP, "when");
    }

    public static CompiledFormat.Builder log4j() {
        return CompiledFormat.builder("log4j", Log4jParser::new)
                .field("timestamp", FieldType.TIMESTAMP, "when (yyyy-MM-dd HH:mm:ss,SSS; in the zone configured)")
                .field("level", FieldType.STRING, "the level")
                .field("thread", FieldType.STRING, "the thread")
                .field("logger", FieldType.STRING, "the logger (Zookeeper: the class)")
                .field("line", FieldType.LONG, "the line number (Zookeeper's layout)")
                .field("message", FieldType.STRING, "the message: the rest of the first line")
                .field("exception", FieldType.STRING, "the exception class the stack trace starts with")
                .field("stack_trace", FieldType.STRING, "the lines after the first")
                .field("service", FieldType.STRING, "the logger")
                .rename("service", "logger")
                .timestampField("timestamp")
                .timestampPatterns("timestamp", List.of(Timestamps.ISO8601))
                .eventStart(Log4jParser.EVENT_START)
                .sampleLines(List.of(
                        "2026-11-20 08:15:30,123 INFO  [main] com.shop.App - Started in 2.1 s",
                        "2026-11-20 08:15:31,004 ERROR [http-nio-8080-exec-3] com.shop.Payments - Payment declined\n"
                                + "java.lang.IllegalStateException: card expired\n"
                                + "\tat com.shop.Payments.charge(Payments.java:42)",
                        "2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:0:0:0:0:2181:FastLeaderElection@774]"
                                + " - Notification time out: 3200"));
    }
}
