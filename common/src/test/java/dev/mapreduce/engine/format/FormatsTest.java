package dev.mapreduce.engine.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mapreduce.engine.record.Record;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class FormatsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static Record parse(LogFormat format, List<String> fields, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return format.newParser(fields).parse(b, 0, b.length);
    }

    @Test
    void theDefaultFormatYieldsItsFourFieldsAndAnyOtherJsonMember() {
        LogFormat f = Formats.DEFAULT;
        assertThat(f.name()).isEqualTo("default");
        assertThat(f.fields()).extracting(FieldInfo::name).containsExactly("timestamp", "level", "service", "message");
        assertThat(f.field("timestamp").orElseThrow().type()).isEqualTo(FieldType.TIMESTAMP);
        assertThat(f.acceptsAnyField()).isTrue();
        assertThat(f.field("region")).contains(FieldInfo.anyString("region"));
        assertThat(f.timestampField()).contains("timestamp");
        Record r = parse(
                f,
                List.of("region", "message", "ctx.user", "message"),
                "{\"timestamp\":\"2026-11-20T00:00:00Z\",\"level\":\"INFO\",\"service\":\"s\",\"message\":\"hi\","
                        + "\"region\":\"eu\",\"ctx\":{\"user\":7}}");
        assertThat(r.slots()).isEqualTo(4);
        assertThat(r.string(0)).isEqualTo("eu");
        assertThat(r.string(1)).isEqualTo("hi");
        assertThat(r.string(2)).isEqualTo("7");
        assertThat(r.longValue(2, -1)).isEqualTo(7);
        assertThat(r.string(3)).isEqualTo("hi");
        Record text = parse(f, List.of("region", "message"), "2026-11-20T00:00:00Z INFO [s] h t - hello");
        assertThat(text.present(0)).isFalse();
        assertThat(text.length(0)).isEqualTo(-1);
        assertThat(text.string(0)).isNull();
        assertThat(text.string(1)).isEqualTo("hello");
    }

    @Test
    void theDefaultFormatStillRequiresItsFourFieldsWhenAskedForFewer() {
        RecordParser p = Formats.DEFAULT.newParser(List.of("message"));
        byte[] line = "{\"level\":\"INFO\",\"service\":\"s\",\"message\":\"hi\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(p.parse(line, 0, line.length)).isNull();
        assertThat(p.malformedReason()).isEqualTo("'timestamp' is missing or not a string");
        byte[] empty = new byte[0];
        assertThat(p.parse(empty, 0, 0)).isNull();
        assertThat(p.malformedReason()).isEqualTo("empty line");
        byte[] text = "just words".getBytes(StandardCharsets.UTF_8);
        assertThat(p.parse(text, 0, text.length)).isNull();
        assertThat(p.malformedReason()).startsWith("neither a JSON object nor");
    }

    @Test
    void theDefaultTimestampIsIso8601() {
        TimestampParser t = Formats.DEFAULT.timestampParser("timestamp");
        byte[] b = "2026-11-20T00:00:00.001Z".getBytes(StandardCharsets.US_ASCII);
        assertThat(t.epochMicros(b, 0, b.length)).isEqualTo(1795132800_001000L);
        assertThatThrownBy(() -> Formats.DEFAULT.timestampParser("message")).isInstanceOf(FormatException.class);
    }

    @Test
    void jsonFindsNestedAndDottedMembersAndRenames() {
        LogFormat f = Formats.compile(new FormatSpec(
                "json",
                null,
                null,
                Map.of("status", "http.response.status_code", "message", "msg"),
                Map.of("status", FieldType.LONG),
                null,
                null,
                null,
                new FormatSpec.TimestampSpec("ts", List.of("UNIX_MS"), null, null),
                null));
        assertThat(f.field("status").orElseThrow().type()).isEqualTo(FieldType.LONG);
        assertThat(f.field("ts").orElseThrow().type()).isEqualTo(FieldType.TIMESTAMP);
        assertThat(f.timestampField()).contains("ts");
        List<String> fields = List.of("status", "message", "http.response.status_code", "tags", "n", "ok", "ts");
        Record nested = parse(
                f,
                fields,
                "{\"ts\":1763596800000,\"msg\":\"a\\u00e9\",\"http\":{\"response\":{\"status_code\":503}},"
                        + "\"tags\":[1,\"x\"],\"n\":null,\"ok\":true}");
        assertThat(nested.longValue(0, -1)).isEqualTo(503);
        assertThat(nested.string(1)).isEqualTo("aé");
        assertThat(nested.string(2)).isEqualTo("503");
        assertThat(nested.string(3)).isEqualTo("[1,\"x\"]");
        assertThat(nested.present(4)).as("null is absent").isFalse();
        assertThat(nested.string(5)).isEqualTo("true");
        byte[] ts = nested.string(6).getBytes(StandardCharsets.US_ASCII);
        assertThat(f.timestampParser("ts").epochMicros(ts, 0, ts.length)).isEqualTo(1763596800_000_000L);
        Record dotted = parse(f, fields, "{\"http.response.status_code\":\"404\",\"http\":{\"x\":1}}");
        assertThat(dotted.string(0)).isEqualTo("404");
        Record mixed = parse(f, fields, "{\"http\":{\"response.status_code\":200}}");
        assertThat(mixed.string(0)).isEqualTo("200");
        assertThat(parse(f, fields, "{\"http\":{\"response\":{}}}").present(0)).isFalse();
        assertThat(parse(f, fields, "[1]")).isNull();
        assertThat(parse(f, fields, "{\"a\":1} x")).isNull();
    }

    @Test
    void theLastValueOfAFieldWinsWhicheverWayItIsSpelled() {
        LogFormat f = Formats.compile(FormatSpec.of("json"));
        List<String> fields = List.of("log.level", "log", "log.logger");
        Record r = parse(f, fields, "{\"log.level\":\"info\",\"log\":{\"logger\":\"app\"}}");
        assertThat(r.string(0))
                .as("ecs-logging-python's mix of dotted and nested")
                .isEqualTo("info");
        assertThat(r.string(1)).isEqualTo("{\"logger\":\"app\"}");
        assertThat(r.string(2)).isEqualTo("app");
        r = parse(f, fields, "{\"log\":{\"level\":\"a\"},\"log.level\":\"b\",\"log\":\"gone\"}");
        assertThat(r.string(0)).isEqualTo("b");
        assertThat(r.string(1)).isEqualTo("gone");
    }

    @Test
    void ecsJsonNamesTheUsualFieldsForTheBuiltInFunctions() {
        LogFormat f = Formats.compile(FormatSpec.of("ecs_json"));
        List<String> fields = List.of("timestamp", "level", "service", "message", "http.response.status_code");
        for (String line : f.sampleLines()) {
            assertThat(parse(f, fields, line)).as(line).isNotNull();
        }
        Record flat = parse(f, fields, f.sampleLines().get(0));
        assertThat(flat.string(1)).isEqualTo("ERROR");
        assertThat(flat.string(2)).isEqualTo("payment-service");
        Record nested = parse(f, fields, f.sampleLines().get(1));
        assertThat(nested.string(1)).isEqualTo("INFO");
        assertThat(nested.string(2)).isEqualTo("frontend");
        assertThat(nested.longValue(4, -1)).isEqualTo(200);
        byte[] ts = nested.string(0).getBytes(StandardCharsets.US_ASCII);
        assertThat(f.timestampParser("timestamp").epochMicros(ts, 0, ts.length))
                .isEqualTo(f.timestampParser("@timestamp").epochMicros(ts, 0, ts.length))
                .isNotEqualTo(TimestampParser.NOT_A_TIMESTAMP);
    }

    @Test
    void timestampPatternsGivenForARenamedFieldAreItsOwn() {
        LogFormat f = Formats.compile(FormatSpec.of("ecs_json")
                .withTimestamp(new FormatSpec.TimestampSpec("timestamp", List.of("UNIX_MS"), null, null)));
        byte[] ms = "1763596800000".getBytes(StandardCharsets.US_ASCII);
        assertThat(f.timestampField()).contains("timestamp");
        assertThat(f.timestampParser("timestamp").epochMicros(ms, 0, ms.length)).isEqualTo(1763596800_000_000L);
        assertThat(f.timestampParser("@timestamp").epochMicros(ms, 0, ms.length))
                .as("@timestamp keeps its own ISO-8601")
                .isEqualTo(TimestampParser.NOT_A_TIMESTAMP);
    }

    @Test
    void everyProblemOfASpecIsNamedAtOnce() {
        FormatException e = catchThrowableOfType(
                FormatException.class,
                () -> Formats.compile(new FormatSpec(
                        "default",
                        "x",
                        null,
                        Map.of("msg", "nope"),
                        Map.of("level", FieldType.LONG, "missing.field", FieldType.LONG),
                        List.of("a"),
                        null,
                        null,
                        new FormatSpec.TimestampSpec(null, List.of("yyyy {"), "Mars/Olympus", 0),
                        new FormatSpec.MultilineSpec("(unclosed"))));
        assertThat(e.problems())
                .extracting(FormatException.Problem::field)
                .contains(
                        "pattern",
                        "columns",
                        "timestamp.zone",
                        "timestamp.year",
                        "timestamp.patterns",
                        "multiline.start");
        assertThat(e.getMessage()).contains("'yyyy {'").contains("Mars/Olympus").contains("(unclosed");
    }

    @Test
    void aRenameToNoFieldIsRefused() {
        FormatException e = catchThrowableOfType(
                FormatException.class,
                () -> Formats.compile(FormatSpec.of("default").withFields(Map.of("msg", ""))));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.field())
                .isEqualTo("fields.msg"));
    }

    @Test
    void anUnknownFormatListsTheFormatsAndPresets() {
        assertThatThrownBy(() -> Formats.compile(FormatSpec.of("nginx")))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("unknown format 'nginx'; formats: default, json")
                .hasMessageContaining("presets: ")
                .hasMessageContaining("ecs_json");
    }

    @Test
    void aParserForAFieldTheFormatLacksIsRefused() {
        assertThatThrownBy(() -> Formats.compile(FormatSpec.of("json")).newParser(List.of("a..b")))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("'a..b'");
    }

    @Test
    void specsReadFromJsonAsObjectsOrPlainNamesAndWriteBackWithoutNulls() throws Exception {
        FormatSpec plain = JSON.readValue("\"apache_combined\"", FormatSpec.class);
        assertThat(plain).isEqualTo(FormatSpec.of("apache_combined"));
        String json = "{\"type\":\"json\",\"fields\":{\"level\":\"log.level\"},\"types\":{\"status\":\"LONG\"},"
                + "\"timestamp\":{\"field\":\"@timestamp\",\"patterns\":[\"ISO8601\"],\"zone\":\"UTC\"},"
                + "\"multiline\":{\"start\":\"^\\\\d\"}}";
        FormatSpec spec = JSON.readValue(json, FormatSpec.class);
        assertThat(spec.fields()).containsEntry("level", "log.level");
        assertThat(spec.types()).containsEntry("status", FieldType.LONG);
        assertThat(spec.timestamp().field()).isEqualTo("@timestamp");
        assertThat(spec.multiline().start()).isEqualTo("^\\d");
        assertThat(JSON.writeValueAsString(spec)).isEqualTo(json);
        assertThat(JSON.writeValueAsString(FormatSpec.of("logfmt"))).isEqualTo("{\"type\":\"logfmt\"}");
    }

    @Test
    void theCatalogueDescribesEveryFormatWithSampleLinesItReads() {
        assertThat(Formats.catalogue()).allSatisfy(info -> {
            assertThat(info.description()).isNotBlank();
            assertThat(info.sampleLines()).isNotEmpty();
            LogFormat f = Formats.compile(info.example());
            List<String> fields = f.fields().stream().map(FieldInfo::name).toList();
            RecordParser parser = f.newParser(fields);
            List<String> lines = info.sampleLines();
            if (f.hasHeader()) {
                byte[] header = lines.get(0).getBytes(StandardCharsets.UTF_8);
                parser.header(header, 0, header.length);
                lines = lines.subList(1, lines.size());
            }
            for (String line : lines) {
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                assertThat(parser.parse(b, 0, b.length))
                        .as(info.name() + ": " + line + " (" + parser.malformedReason() + ")")
                        .isNotNull();
            }
        });
    }
}
