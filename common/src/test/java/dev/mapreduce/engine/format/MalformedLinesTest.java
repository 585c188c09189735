package dev.mapreduce.engine.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Lines that are not in a format are malformed, each with a reason that says why. */
class MalformedLinesTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("apache_common", "", "empty line"),
                Arguments.of("apache_common", "just some words", "no user"),
                Arguments.of("apache_common", "just some more words", "no [time] after the user"),
                Arguments.of(
                        "apache_common",
                        "1.2.3.4 - - [10/Oct/2026:13:55:36 -0700] GET / 200 1",
                        "no quote before the request line"),
                Arguments.of(
                        "apache_common",
                        "1.2.3.4 - - [10/Oct/2026:13:55:36 -0700] \"GET /\" abc 1",
                        "the status is not a number"),
                Arguments.of(
                        "apache_common",
                        "1.2.3.4 - - [10/Oct/2026:13:55:36 -0700] \"GET / 200 1",
                        "no closing quote after the request line"),
                Arguments.of(
                        "apache_combined",
                        "1.2.3.4 - - [10/Oct/2026:13:55:36 -0700] \"GET /\" 200 1",
                        "no referrer after the size"),
                Arguments.of("apache_combined", "{\"timestamp\":\"x\",\"level\":\"INFO\"}", "no client address"),
                Arguments.of("apache_error", "Oct 11 22:14:15 host su: x", "no [time] at the start"),
                Arguments.of("apache_error", "[Wed Oct 11 14:32:52 2000] message", "no [level] after the time"),
                Arguments.of("syslog_rfc3164", "<999>Oct 11 22:14:15 host su: x", "a bad <PRI> (0 to 191)"),
                Arguments.of(
                        "syslog_rfc3164",
                        "1.2.3.4 - - [10/Oct/2026:13:55:36 -0700] \"GET /\" 200 1",
                        "no 'Mmm dd hh:mm:ss' or ISO-8601 time"),
                Arguments.of(
                        "syslog_rfc5424",
                        "<34>Oct 11 22:14:15 mymachine su: x",
                        "no version (1 to 99) after the <PRI>"),
                Arguments.of(
                        "syslog_rfc5424",
                        "<34>1 2003-10-11T22:14:15.003Z host app - ID47",
                        "no message id (or -) and structured data"),
                Arguments.of(
                        "syslog_rfc5424",
                        "<34>1 - host app - - [id x=\"1\" msg",
                        "a structured data element without its closing ]"),
                Arguments.of("syslog_rfc5424", "<34>1 - host app - - x msg", "structured data must be - or [id ...]"),
                Arguments.of(
                        "log4j",
                        "\tat com.shop.Payments.charge(Payments.java:42)",
                        "no 'yyyy-MM-dd HH:mm' time at the start"),
                Arguments.of("log4j", "2026-11-20 08:15:30,123 [main] com.shop.App - no level", "no level"),
                Arguments.of("logfmt", "just words", "no key=value pair"),
                Arguments.of("logfmt", "a=1 b=\"open", "a quoted value without its closing quote"),
                Arguments.of("logfmt", "a=1 =2", "a value without a key at byte 4"),
                Arguments.of("logfmt", "a=x\"y", "a quote inside an unquoted value at byte 3"),
                Arguments.of("ecs_json", "time=1 level=INFO", "not a JSON object"),
                Arguments.of("json", "{\"a\":1", "the line ends inside an object"),
                Arguments.of("json", "{\"a\":tru}", "not a JSON value"),
                Arguments.of("default", "{\"level\":\"INFO\"}", "'timestamp' is missing or not a string"),
                Arguments.of("default", "hello", "neither a JSON object nor"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("lines")
    void aLineOfAnotherShapeIsMalformedWithItsReason(String format, String line, String reason) {
        LogFormat f = Formats.compile(FormatSpec.of(format));
        List<String> fields = f.fields().stream().map(FieldInfo::name).toList();
        RecordParser p = f.newParser(fields);
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertThat(p.parse(b, 0, b.length)).isNull();
        assertThat(p.malformedReason()).startsWith(reason);
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                        "apache_common",
                        "apache_combined",
                        "apache_error",
                        "syslog_rfc3164",
                        "syslog_rfc5424",
                        "log4j",
                        "logfmt",
                        "default")
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8IsMalformedInEveryFormat(String format) {
        LogFormat f = Formats.compile(FormatSpec.of(format));
        RecordParser p = f.newParser(List.of(f.fields().get(0).name()));
        byte[] line = f.sampleLines().get(0).getBytes(StandardCharsets.UTF_8);
        line[line.length - 2] = (byte) 0xC3; // a lead byte without its continuation
        line[line.length - 1] = (byte) 'x';
        assertThat(p.parse(line, 0, line.length)).isNull();
        assertThat(p.malformedReason()).isEqualTo("not valid UTF-8");
    }
}
