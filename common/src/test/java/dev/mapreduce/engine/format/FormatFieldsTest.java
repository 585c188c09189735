package dev.mapreduce.engine.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.record.Record;
import dev.mapreduce.testing.FormatGen;
import dev.mapreduce.testing.FormatGen.Line;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every format and preset reads realistic lines of its kind (from {@link FormatGen}, written as
 * the software that produces them writes them) into exactly the fields they hold, and reads their
 * event time to the microsecond.
 */
class FormatFieldsTest {

    static final int LINES = 3000;

    record Case(String name, FormatSpec spec, Function<FormatGen, Line> generator, String header) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        FormatSpec csv = new FormatSpec(
                "csv",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new FormatSpec.TimestampSpec("time", null, null, null),
                null);
        FormatSpec tsv = new FormatSpec(
                "tsv",
                null,
                null,
                null,
                null,
                List.of("time", "user", "action", "amount", "note"),
                null,
                null,
                new FormatSpec.TimestampSpec("time", null, null, null),
                null);
        FormatSpec syslog =
                FormatSpec.of("syslog_rfc3164").withTimestamp(new FormatSpec.TimestampSpec(null, null, null, 2025));
        return Stream.of(
                        new Case("apache_common", FormatSpec.of("apache_common"), g -> g.access(false), null),
                        new Case("apache_combined", FormatSpec.of("apache_combined"), g -> g.access(true), null),
                        new Case("apache_error", FormatSpec.of("apache_error"), FormatGen::apacheError, null),
                        new Case("syslog_rfc3164", syslog, g -> g.syslog3164(2025), null),
                        new Case("syslog_rfc5424", FormatSpec.of("syslog_rfc5424"), FormatGen::syslog5424, null),
                        new Case("log4j", FormatSpec.of("log4j"), FormatGen::log4j, null),
                        new Case("logfmt", FormatSpec.of("logfmt"), FormatGen::logfmt, null),
                        new Case("ecs_json", FormatSpec.of("ecs_json"), FormatGen::ecsJson, null),
                        new Case("csv", csv, g -> g.csv(','), "time,user,action,amount,note"),
                        new Case("tsv", tsv, g -> g.csv('\t'), null))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyFieldOfEveryLineIsRead(Case c) {
        LogFormat format = Formats.compile(c.spec(), Instant.parse("2026-11-21T00:00:00Z"));
        FormatGen gen = new FormatGen(c.name().hashCode());
        List<Line> lines = gen.lines(LINES, () -> c.generator().apply(gen));
        List<String> fields = new ArrayList<>(lines.get(0).fields().keySet());
        RecordParser parser = format.newParser(fields);
        if (c.header() != null) {
            byte[] h = c.header().getBytes(StandardCharsets.UTF_8);
            parser.header(h, 0, h.length);
        }
        String timeField = fields.stream()
                .filter(f -> format.field(f).orElseThrow().type() == FieldType.TIMESTAMP)
                .findFirst()
                .orElseThrow();
        TimestampParser time = format.timestampParser(timeField);
        int timeSlot = fields.indexOf(timeField);
        for (Line line : lines) {
            byte[] b = ("\u0000" + line.text() + "\u0000").getBytes(StandardCharsets.UTF_8);
            Record r = parser.parse(b, 1, b.length - 2);
            assertThat(r).as("%s (%s)", line.text(), parser.malformedReason()).isNotNull();
            Map<String, String> actual = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                actual.put(fields.get(i), r.string(i));
            }
            assertThat(actual).as(line.text()).isEqualTo(new HashMap<>(line.fields()));
            if (line.time() != null) {
                long micros = time.epochMicros(r.array(timeSlot), r.offset(timeSlot), r.length(timeSlot));
                assertThat(micros)
                        .as("time of %s", line.text())
                        .isEqualTo(line.time().getEpochSecond() * 1_000_000
                                + line.time().getNano() / 1000);
            }
        }
    }
}
