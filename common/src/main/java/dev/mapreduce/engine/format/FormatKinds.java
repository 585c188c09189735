package dev.mapreduce.engine.format;

import dev.mapreduce.engine.format.FormatException.Problem;
import dev.mapreduce.engine.format.json.DefaultParser;
import dev.mapreduce.engine.format.json.JsonParser;
import dev.mapreduce.engine.format.preset.Presets;
import dev.mapreduce.engine.format.text.TextFormats;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** The catalogue of formats and presets that {@link Formats} compiles. */
final class FormatKinds {

    private FormatKinds() {}

    /** A kind from its parts. */
    record Kind(
            String name,
            boolean preset,
            String description,
            List<String> options,
            FormatSpec example,
            BiFunction<FormatSpec, List<Problem>, CompiledFormat.Builder> builder,
            List<String> exampleLines)
            implements FormatKind {

        Kind(
                String name,
                boolean preset,
                String description,
                List<String> options,
                FormatSpec example,
                BiFunction<FormatSpec, List<Problem>, CompiledFormat.Builder> builder) {
            this(name, preset, description, options, example, builder, List.of());
        }

        @Override
        public CompiledFormat.Builder build(FormatSpec spec, List<Problem> problems) {
            CompiledFormat.Builder b = builder.apply(spec, problems);
            return b == null ? null : b.description(description);
        }
    }

    static List<FormatKind> all() {
        return List.of(
                defaultFormat(),
                json(),
                logfmt(false),
                regex(),
                grok(),
                csv(false),
                csv(true),
                preset(
                        "apache_common",
                        "Apache's common log format (%h %l %u %t \"%r\" %>s %b)",
                        Presets::apacheCommon),
                preset(
                        "apache_combined",
                        "Apache's combined log format, also nginx's default: common plus \"referrer\" \"user agent\"",
                        Presets::apacheCombined),
                preset(
                        "apache_error",
                        "Apache's error log (2.2 and 2.4): [time] [module:level] [pid N:tid M] [client ADDRESS] message",
                        Presets::apacheError),
                preset(
                        "syslog_rfc3164",
                        "BSD syslog (RFC 3164) as sent or as rsyslog writes files: <PRI>Mmm dd hh:mm:ss host tag: message",
                        Presets::syslog3164),
                preset(
                        "syslog_rfc5424",
                        "syslog (RFC 5424): <PRI>1 timestamp host app procid msgid [structured data] message",
                        Presets::syslog5424),
                preset(
                        "log4j",
                        "Java logging layouts of the %d %p [%t] %c - %m family (log4j, logback, Hadoop, Kafka, Zookeeper),"
                                + " stack traces joined to their event",
                        Presets::log4j),
                ecsJson(),
                logfmt(true));
    }

    private static FormatKind preset(String name, String description, Supplier<CompiledFormat.Builder> builder) {
        return new Kind(name, true, description, List.of(), FormatSpec.of(name), (spec, problems) -> builder.get());
    }

    private static FormatKind logfmt(boolean preset) {
        // logfmt is both a format and a preset: listed under each
        return new Kind(
                "logfmt",
                preset,
                "key=value pairs (Heroku, Go's log/slog); any key is a field; time, level and msg are slog's names, also"
                        + " called timestamp and message",
                List.of(),
                FormatSpec.of("logfmt"),
                (spec, problems) -> TextFormats.logfmt());
    }

    private static FormatKind regex() {
        return new Kind(
                "regex",
                false,
                "an RE2 pattern whose named groups (?P<name>...) are the fields; found anywhere in the line (anchor it"
                        + " with ^...$); lines it does not match are malformed",
                List.of("pattern"),
                FormatSpec.of("regex")
                        .withPattern(
                                "^(?P<ip>\\S+) (?P<method>[A-Z]+) (?P<path>\\S+) (?P<status>\\d{3}) (?P<ms>\\d+)ms$"),
                TextFormats::regex,
                List.of("10.0.0.7 GET /cart 200 12ms", "10.0.0.8 POST /api/orders 503 870ms"));
    }

    private static FormatKind grok() {
        return new Kind(
                "grok",
                false,
                "%{PATTERN:field} expressions over the standard grok library (logstash-patterns-core, Apache-2.0)"
                        + " and patterns of your own, compiled to RE2; %{PATTERN:field:int} types a field",
                List.of("pattern", "patterns"),
                new FormatSpec(
                        "grok",
                        "%{IPORHOST:client} %{WORD:method} %{URIPATHPARAM:path} %{NUMBER:status:int} %{ORDERID:order}",
                        Map.of("ORDERID", "ord-[0-9a-f]{8}"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                TextFormats::grok,
                List.of("10.0.0.7 GET /cart?id=7 200 ord-8812beef", "shop.example POST /api/orders 503 ord-00c0ffee"));
    }

    private static FormatKind csv(boolean tsv) {
        String name = tsv ? "tsv" : "csv";
        return new Kind(
                name,
                false,
                (tsv ? "tab-separated" : "comma-separated (or another delimiter)")
                        + " values, RFC 4180 quoting, through Jackson's CSV module; columns named by the header line of"
                        + " each file or given up front",
                tsv ? List.of("columns", "header") : List.of("columns", "header", "delimiter"),
                new FormatSpec(name, null, null, null, null, null, null, null, null, null),
                (spec, problems) -> TextFormats.csv(spec, tsv, problems));
    }

    static final String DEFAULT_DESCRIPTION =
            "this project's log lines: one JSON object per line with timestamp, level,"
                    + " service and message (all strings; other members are fields too), or the text form"
                    + " '<timestamp> <level> [<service>] <host> <trace> - <message>'";

    private static FormatKind defaultFormat() {
        return new Kind(
                "default",
                false,
                DEFAULT_DESCRIPTION,
                List.of(),
                FormatSpec.of("default"),
                (spec, problems) -> CompiledFormat.builder("default", DefaultParser::new)
                        .field("timestamp", FieldType.TIMESTAMP, "when the event happened (ISO-8601)")
                        .field("level", FieldType.STRING, "the level as written (INFO, WARN, ...)")
                        .field("service", FieldType.STRING, "the service that logged the event")
                        .field("message", FieldType.STRING, "the message")
                        .acceptsAnyField(true)
                        .anyFieldCheck(JsonParser::pathProblem)
                        .timestampField("timestamp")
                        .timestampPatterns("timestamp", List.of(Timestamps.ISO8601))
                        .sampleLines(List.of(
                                "{\"timestamp\":\"2026-11-20T08:15:30.123Z\",\"level\":\"ERROR\",\"service\":\"payment-service\","
                                        + "\"message\":\"Payment declined for order 8812 after 532 ms\",\"region\":\"eu-west-1\"}",
                                "2026-11-20T08:15:31.004Z INFO [order-service] order-service-1 a298eb42cbbefdb8 -"
                                        + " Order 8813 created in 12 ms")));
    }

    private static FormatKind json() {
        return new Kind(
                "json",
                false,
                "any JSON object per line; a field is a member name or a dotted path into nested objects"
                        + " (http.response.status_code); strings decoded, numbers and booleans as written, null and"
                        + " missing members absent",
                List.of(),
                new FormatSpec(
                        "json",
                        null,
                        null,
                        null,
                        java.util.Map.of("http.status", FieldType.LONG),
                        null,
                        null,
                        null,
                        new FormatSpec.TimestampSpec("time", null, null, null),
                        null),
                (spec, problems) -> CompiledFormat.builder("json", JsonParser::new)
                        .acceptsAnyField(true)
                        .anyFieldCheck(JsonParser::pathProblem)
                        .sampleLines(List.of(
                                "{\"time\":\"2026-11-20T08:15:30Z\",\"msg\":\"GET /cart\",\"http\":{\"status\":200,"
                                        + "\"method\":\"GET\"},\"user\":{\"id\":42}}")));
    }

    private static FormatKind ecsJson() {
        return new Kind(
                "ecs_json",
                true,
                "Elastic Common Schema JSON lines (ecs-logging): @timestamp, log.level, message, service.name, ...,"
                        + " nested or with dotted member names; level, service, logger and thread name the usual"
                        + " members so the built-in functions work unchanged; any other member by its path",
                List.of(),
                FormatSpec.of("ecs_json"),
                (spec, problems) -> CompiledFormat.builder("ecs_json", JsonParser::new)
                        .field("@timestamp", FieldType.TIMESTAMP, "when the event happened (ISO-8601)")
                        .field("log.level", FieldType.STRING, "the level")
                        .field("message", FieldType.STRING, "the message")
                        .field("service.name", FieldType.STRING, "the service")
                        .field("log.logger", FieldType.STRING, "the logger")
                        .field("process.thread.name", FieldType.STRING, "the thread")
                        .field("error.type", FieldType.STRING, "the exception class")
                        .field("error.message", FieldType.STRING, "the exception message")
                        .field("error.stack_trace", FieldType.STRING, "the stack trace")
                        .field("trace.id", FieldType.STRING, "the trace id")
                        .field("host.hostname", FieldType.STRING, "the host")
                        .field("event.dataset", FieldType.STRING, "the dataset")
                        .field("http.response.status_code", FieldType.LONG, "the HTTP status")
                        .field("timestamp", FieldType.TIMESTAMP, "@timestamp")
                        .field("level", FieldType.STRING, "log.level")
                        .field("service", FieldType.STRING, "service.name")
                        .field("logger", FieldType.STRING, "log.logger")
                        .field("thread", FieldType.STRING, "process.thread.name")
                        .rename("timestamp", "@timestamp")
                        .rename("level", "log.level")
                        .rename("service", "service.name")
                        .rename("logger", "log.logger")
                        .rename("thread", "process.thread.name")
                        .acceptsAnyField(true)
                        .anyFieldCheck(JsonParser::pathProblem)
                        .timestampField("@timestamp")
                        .timestampPatterns("@timestamp", List.of(Timestamps.ISO8601))
                        .sampleLines(List.of(
                                "{\"@timestamp\":\"2026-11-20T08:15:30.123Z\",\"log.level\":\"ERROR\",\"message\":\"Payment"
                                        + " declined\",\"ecs.version\":\"1.2.0\",\"service.name\":\"payment-service\","
                                        + "\"log.logger\":\"com.shop.Payments\",\"process.thread.name\":\"http-nio-8080-exec-3\","
                                        + "\"error.type\":\"java.lang.IllegalStateException\"}",
                                "{\"@timestamp\":\"2026-11-20T08:15:31Z\",\"log\":{\"level\":\"INFO\",\"logger\":\"web\"},"
                                        + "\"message\":\"GET /cart\",\"service\":{\"name\":\"frontend\"},"
                                        + "\"http\":{\"response\":{\"status_code\":200}}}")));
    }
}
