package dev.mapreduce.engine.format.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.record.Record;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * A line is a valid record when it is valid UTF-8 and its timestamp, level, service and message
 * are strings, in the JSON form or the plain text form; anything else is malformed ({@code null}).
 */
class DefaultParserTest {

    /** The four fields, in the slot order of a parser made for {@link DefaultParser#FIELDS}. */
    enum LogField {
        TIMESTAMP,
        LEVEL,
        SERVICE,
        MESSAGE;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String TS = "\"timestamp\":\"2026-11-20T00:00:00.001Z\"";
    static final String LEVEL = "\"level\":\"INFO\"";
    static final String SERVICE = "\"service\":\"order-service\"";
    static final String MESSAGE = "\"message\":\"hello\"";
    static final String FOUR = TS + "," + LEVEL + "," + SERVICE + "," + MESSAGE;

    private final DefaultParser parser = new DefaultParser(DefaultParser.FIELDS);

    /** Parses {@code line} from the middle of a larger array, so offsets are exercised too. */
    Record parse(byte[] line) {
        byte[] padded = new byte[line.length + 7];
        Arrays.fill(padded, (byte) '}');
        System.arraycopy(line, 0, padded, 3, line.length);
        return parser.parse(padded, 3, line.length);
    }

    Record parse(String line) {
        return parse(line.getBytes(StandardCharsets.UTF_8));
    }

    static Map<LogField, String> fields(Record record) {
        Map<LogField, String> m = new EnumMap<>(LogField.class);
        for (LogField f : LogField.values()) {
            m.put(f, record.string(f.ordinal()));
        }
        return m;
    }

    static Map<LogField, String> fields(String timestamp, String level, String service, String message) {
        return new EnumMap<>(Map.of(
                LogField.TIMESTAMP,
                timestamp,
                LogField.LEVEL,
                level,
                LogField.SERVICE,
                service,
                LogField.MESSAGE,
                message));
    }

    static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : ((String) part).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Nested
    class JsonForm {

        @Test
        void aRecordWithExtraMembersAndNestedValuesIsValid() {
            Record record = parse("{\"id\":17,\"tags\":[\"a\",{\"message\":\"inner\"},[1,2.5,-3e2],true,false,null],"
                    + TS + ",\"ctx\":{\"level\":{\"deep\":[{}]},\"n\":null,\"ok\":true}," + LEVEL + ",\"pi\":3.14,"
                    + SERVICE + ",\"empty\":[],\"obj\":{}," + MESSAGE + ",\"last\":false}");
            assertThat(record).isNotNull();
            assertThat(fields(record)).isEqualTo(fields("2026-11-20T00:00:00.001Z", "INFO", "order-service", "hello"));
            assertThat(record.is(LogField.LEVEL.ordinal(), "INFO")).isTrue();
            assertThat(record.is(LogField.LEVEL.ordinal(), "INF")).isFalse();
        }

        @ParameterizedTest
        @EnumSource(LogField.class)
        void aMissingFieldMakesTheLineMalformed(LogField missing) {
            StringBuilder line = new StringBuilder("{\"other\":\"x\"");
            for (LogField f : LogField.values()) {
                if (f != missing) {
                    line.append(",\"").append(f.jsonName()).append("\":\"v\"");
                }
            }
            assertThat(parse(line.append('}').toString())).isNull();
        }

        static Stream<Arguments> nonStringValues() {
            return Stream.of(LogField.values()).flatMap(f -> Stream.of(
                            "1", "-2.5e3", "null", "true", "false", "{}", "{\"a\":\"b\"}", "[]", "[\"s\"]")
                    .map(v -> Arguments.of(f, v)));
        }

        @ParameterizedTest(name = "{0} = {1}")
        @MethodSource("nonStringValues")
        void aFieldThatIsNotAStringMakesTheLineMalformed(LogField field, String value) {
            StringBuilder line = new StringBuilder("{");
            for (LogField f : LogField.values()) {
                line.append('"')
                        .append(f.jsonName())
                        .append("\":")
                        .append(f == field ? value : "\"v\"")
                        .append(',');
            }
            line.setLength(line.length() - 1);
            assertThat(parse(line.append('}').toString())).isNull();
        }

        @Test
        void duplicateMemberLastOneWins() {
            assertThat(parse("{" + FOUR + ",\"message\":42}"))
                    .as("string then number")
                    .isNull();
            assertThat(parse("{" + FOUR + ",\"level\":null}"))
                    .as("string then null")
                    .isNull();
            Record record = parse("{\"message\":42," + FOUR.replace(MESSAGE, "\"message\":\"second\"") + "}");
            assertThat(record).as("number then string").isNotNull();
            assertThat(record.string(LogField.MESSAGE.ordinal())).isEqualTo("second");
            record = parse("{" + FOUR + ",\"service\":\"b\\u00e9\",\"service\":\"c\"}");
            assertThat(record.string(LogField.SERVICE.ordinal())).isEqualTo("c");
            record = parse("{" + FOUR + ",\"service\":{\"x\":1},\"service\":\"d\\n\"}");
            assertThat(record.string(LogField.SERVICE.ordinal())).isEqualTo("d\n");
        }

        @Test
        void escapesAreDecodedToUtf8() {
            Record record = parse(
                    "{" + TS + "," + LEVEL + "," + SERVICE
                            + ",\"message\":\"q\\\" b\\\\ s\\/ n\\n t\\t r\\r b\\b f\\f e\\u00e9 E\\u00C9 z\\u0000 smile\\ud83d\\ude00 cjk\\u65e5\"}");
            assertThat(record).isNotNull();
            String expected = "q\" b\\ s/ n\n t\t r\r b\b f\f eé EÉ z\u0000 smile😀 cjk日";
            assertThat(record.string(LogField.MESSAGE.ordinal())).isEqualTo(expected);
            assertThat(Arrays.copyOfRange(
                            record.array(LogField.MESSAGE.ordinal()),
                            record.offset(LogField.MESSAGE.ordinal()),
                            record.offset(LogField.MESSAGE.ordinal()) + record.length(LogField.MESSAGE.ordinal())))
                    .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void anEscapedMemberNameNamesTheField() {
            Record record = parse("{" + TS + "," + LEVEL + "," + SERVICE + ",\"mess\\u0061ge\":\"m\"}");
            assertThat(record).isNotNull();
            assertThat(record.string(LogField.MESSAGE.ordinal())).isEqualTo("m");
            assertThat(parse("{" + FOUR + ",\"l\\u0065vel\":7}"))
                    .as("a later escaped duplicate still wins")
                    .isNull();
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "\\ud83d",
                    "\\ude00",
                    "a\\ud83dz",
                    "\\ud83d\\u0041",
                    "\\ude00\\ud83d",
                    "\\ud83d\\n",
                    "\\ud83d\\ud83d"
                })
        void aLoneSurrogateEscapeIsMalformed(String escaped) {
            assertThat(parse("{" + TS + "," + LEVEL + "," + SERVICE + ",\"message\":\"" + escaped + "\"}"))
                    .isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\\x", "\\u12", "\\u12G4", "\\U00e9", "\\'", "\\"})
        void aBadEscapeIsMalformed(String escaped) {
            assertThat(parse("{" + FOUR + ",\"extra\":\"" + escaped + "\"}")).isNull();
            assertThat(parse("{" + TS + "," + LEVEL + "," + SERVICE + ",\"message\":\"" + escaped + "\"}"))
                    .isNull();
        }

        @ParameterizedTest
        @ValueSource(ints = {0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F})
        void anUnescapedControlCharacterInAStringIsMalformed(int control) {
            byte[] c = bytes(control);
            assertThat(parse(concat("{" + TS + "," + LEVEL + "," + SERVICE + ",\"message\":\"a", c, "b\"}")))
                    .isNull();
            assertThat(parse(concat("{" + FOUR + ",\"extra\":\"a", c, "\"}"))).isNull();
            assertThat(parse(concat("{" + FOUR + ",\"ke", c, "y\":1}"))).isNull();
        }

        /** A byte that is not plain is seen wherever it falls in a long string, before and after other kinds. */
        @Test
        void aByteThatIsNotPlainIsSeenAtEveryPlaceOfALongString() {
            String head = "{" + TS + "," + LEVEL + "," + SERVICE + ",\"message\":\"";
            for (int at = 0; at < 24; at++) {
                String before = "x".repeat(at);
                String after = "y".repeat(24 - at);
                for (int control : new int[] {0x00, 0x0A, 0x1F}) {
                    assertThat(parse(concat(head + before, bytes(control), after + "\"}")))
                            .as("control %02x at %d", control, at)
                            .isNull();
                }
                assertThat(parse(concat(head + before, bytes(0xC3, 0x28), after + "\"}")))
                        .as("invalid UTF-8 at %d", at)
                        .isNull();
                assertThat(parse(head + before + "\"" + after + "\"}"))
                        .as("quote at %d", at)
                        .isNull();
                String[][] writtenAndRead = {
                    {"\\\"", "\""}, {"\\\\", "\\"}, {"\\u00e9", "é"}, {"é", "é"}, {"😀", "😀"}, {"\u007F", "\u007F"}
                };
                for (String[] kept : writtenAndRead) {
                    Record record = parse(head + before + kept[0] + after + "\"}");
                    assertThat(record).as("%s at %d", kept[0], at).isNotNull();
                    assertThat(record.string(LogField.MESSAGE.ordinal())).isEqualTo(before + kept[1] + after);
                }
            }
        }

        @Test
        void deleteIsAllowedUnescaped() {
            assertThat(parse(concat("{" + TS + "," + LEVEL + "," + SERVICE + ",\"message\":\"", bytes(0x7F), "\"}"))
                            .string(LogField.MESSAGE.ordinal()))
                    .isEqualTo("\u007F");
        }

        static Stream<byte[]> invalidUtf8() {
            return Stream.of(
                    bytes(0xC3, 0x28), // lead byte, then no continuation
                    bytes(0xFF),
                    bytes(0xFE),
                    bytes(0x80), // lone continuation
                    bytes(0xC0, 0xAF), // overlong '/'
                    bytes(0xC1, 0xBF), // overlong
                    bytes(0xE0, 0x80, 0xAF), // overlong
                    bytes(0xF0, 0x80, 0x80, 0xAF), // overlong
                    bytes(0xED, 0xA0, 0x80), // UTF-16 surrogate U+D800
                    bytes(0xED, 0xBF, 0xBF), // U+DFFF
                    bytes(0xF4, 0x90, 0x80, 0x80), // above U+10FFFF
                    bytes(0xF5, 0x80, 0x80, 0x80),
                    bytes(0xE2, 0x82), // truncated three-byte sequence
                    bytes(0xF0, 0x9F, 0x98)); // truncated four-byte sequence
        }

        @ParameterizedTest
        @MethodSource("invalidUtf8")
        void invalidUtf8InsideAStringIsMalformed(byte[] bad) {
            assertThat(parse(concat("{" + TS + "," + LEVEL + "," + SERVICE + ",\"message\":\"ab", bad, "\"}")))
                    .as("in a field")
                    .isNull();
            assertThat(parse(concat("{" + TS + "," + LEVEL + "," + SERVICE + ",\"message\":\"ab", bad)))
                    .as("at the end of the line")
                    .isNull();
            assertThat(parse(concat("{" + FOUR + ",\"extra\":[\"", bad, "\"]}")))
                    .as("in another member")
                    .isNull();
            assertThat(parse(concat("{" + FOUR + ",\"", bad, "\":1}")))
                    .as("in a member name")
                    .isNull();
        }

        @ParameterizedTest
        @MethodSource("invalidUtf8")
        void invalidUtf8OutsideStringsIsMalformed(byte[] bad) {
            assertThat(parse(concat("{" + FOUR + ",", bad, "}"))).isNull();
            assertThat(parse(concat("{" + FOUR + "}", bad))).isNull();
        }

        @Test
        void validMultibyteUtf8IsKeptByteForByte() {
            String text = "é ü ß 日本語 € 😀 \uFFFD \u2028 \uFEFF \uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08 \uDBFF\uDFFF";
            byte[] line = ("{" + TS + "," + LEVEL + ",\"service\":\"ünï\"" + ",\"message\":\"" + text + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            Record record = parser.parse(line, 0, line.length);
            assertThat(record).isNotNull();
            assertThat(record.array(LogField.MESSAGE.ordinal()))
                    .as("no copy for an unescaped value")
                    .isSameAs(line);
            assertThat(Arrays.copyOfRange(
                            line,
                            record.offset(LogField.MESSAGE.ordinal()),
                            record.offset(LogField.MESSAGE.ordinal()) + record.length(LogField.MESSAGE.ordinal())))
                    .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
            assertThat(record.string(LogField.SERVICE.ordinal())).isEqualTo("ünï");
        }

        @ParameterizedTest
        @ValueSource(strings = {" x", "x", "{}", " {}", "[]", ",", "}", "\"s\"", "1", "null", " {\"a\":1}", "\u0000"})
        void trailingContentAfterTheObjectIsMalformed(String trailing) {
            assertThat(parse("{" + FOUR + "}" + trailing)).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {" ", "  \t ", "\t", " \r", "\n"})
        void whitespaceAroundTheObjectIsAllowed(String space) {
            assertThat(parse("{" + FOUR + "}" + space)).as("trailing").isNotNull();
            assertThat(parse(space.replace("\r", "").replace("\n", "") + "{" + FOUR + "}"))
                    .as("leading")
                    .isNotNull();
            String plain = "{'timestamp':'t','level':'l','service':'s','message':'m','n':[1,{'x':null}]}";
            assertThat(parse(plain.replace("'", "\"")
                            .replaceAll("([{}\\[\\],:])", space + "$1" + space)
                            .stripLeading()))
                    .as("between tokens")
                    .isNotNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t", "   \t  "})
        void anEmptyOrBlankLineIsMalformed(String line) {
            assertThat(parse(line)).isNull();
        }

        @Test
        void everyTruncationOfAValidLineIsMalformed() {
            String line = "{\"n\":[1,{\"x\":-2.5e1}],\"b\":true," + TS + "," + LEVEL + "," + SERVICE
                    + ",\"message\":\"a\\u00e9\\n😀\"}";
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            assertThat(parse(bytes)).isNotNull();
            for (int len = 0; len < bytes.length; len++) {
                assertThat(parse(Arrays.copyOf(bytes, len)))
                        .as("first %d bytes", len)
                        .isNull();
            }
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "01",
                    "-01",
                    "1.",
                    ".5",
                    "-",
                    "+1",
                    "1e",
                    "1e+",
                    "1E-",
                    "0x1F",
                    "1.2.3",
                    "--1",
                    "1e5.0",
                    "NaN",
                    "Infinity",
                    "-Infinity",
                    "1_000",
                    "١"
                })
        void anInvalidNumberIsMalformed(String number) {
            assertThat(parse("{" + FOUR + ",\"n\":" + number + "}"))
                    .as("member")
                    .isNull();
            assertThat(parse("{" + FOUR + ",\"n\":[" + number + "]}"))
                    .as("in an array")
                    .isNull();
            assertThat(parse("{\"n\":" + number + "," + FOUR + "}"))
                    .as("first member")
                    .isNull();
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "0",
                    "-0",
                    "1.5e-3",
                    "2E+10",
                    "-12.75",
                    "0.0",
                    "1e9",
                    "123456789012345678901234567890",
                    "0e0",
                    "-0.0E-0"
                })
        void aValidNumberIsSkipped(String number) {
            assertThat(parse("{" + FOUR + ",\"n\":" + number + "}"))
                    .as("last member")
                    .isNotNull();
            assertThat(parse("{\"n\":[" + number + "," + number + "]," + FOUR + "}"))
                    .as("in an array")
                    .isNotNull();
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "{" + FOUR + ",}",
                    "{," + FOUR + "}",
                    "{" + FOUR + ",\"a\":[1,]}",
                    "{" + FOUR + ",\"a\":[,1]}",
                    "{" + FOUR + ",\"a\" 1}",
                    "{" + FOUR + ",\"a\"::1}",
                    "{" + FOUR + ",'a':1}",
                    "{" + FOUR + ",a:1}",
                    "{" + FOUR + ",\"a\":tru}",
                    "{" + FOUR + ",\"a\":True}",
                    "{" + FOUR + ",\"a\":nul}",
                    "{" + FOUR + ",\"a\":undefined}",
                    "{" + FOUR + ",\"a\":{\"b\"}}",
                    "{" + FOUR + ",\"a\":{1:2}}",
                    "{" + FOUR + " /* c */}",
                    "{" + FOUR + ",\"a\":'s'}",
                    "{" + FOUR + ",\"a\":[1 2]}",
                    "{" + FOUR + " \"a\":1}",
                    "{" + FOUR + ",\"a\":[}",
                    "{" + FOUR + ",\"a\":{]}",
                    "{}",
                    "{ }",
                    "[{" + FOUR + "}]",
                    "{{" + FOUR + "}}"
                })
        void invalidJsonIsMalformed(String line) {
            assertThat(parse(line)).isNull();
        }

        @Test
        void anUnknownLevelIsStillValid() {
            Record record = parse("{" + FOUR.replace("INFO", "LOUD") + "}");
            assertThat(record).isNotNull();
            assertThat(record.string(LogField.LEVEL.ordinal())).isEqualTo("LOUD");
        }

        @Test
        void emptyStringFieldsAreValid() {
            Record record = parse("{\"timestamp\":\"\",\"level\":\"\",\"service\":\"\",\"message\":\"\"}");
            assertThat(record).isNotNull();
            assertThat(fields(record)).isEqualTo(fields("", "", "", ""));
        }

        @Test
        void nestingDeeperThanTheLimitIsMalformed() {
            int n = JsonScanner.MAX_DEPTH + 5;
            assertThat(parse("{" + FOUR + ",\"a\":" + "[".repeat(n) + "]".repeat(n) + "}"))
                    .as("arrays")
                    .isNull();
            assertThat(parse("{" + FOUR + ",\"a\":" + "{\"b\":".repeat(n) + "1" + "}".repeat(n) + "}"))
                    .as("objects")
                    .isNull();
            assertThat(parse("{" + FOUR + ",\"a\":" + "[".repeat(100) + "]".repeat(100) + "}"))
                    .as("shallow")
                    .isNotNull();
        }

        /**
         * The limit is Jackson's: a document nested {@code MAX_DEPTH} deep, the record object
         * counted as the first level, is fine, one level more is not.
         */
        @Test
        void nestingIsCountedAsJacksonCountsIt() {
            JsonMapper jackson = JsonMapper.builder(JsonFactory.builder()
                            .streamReadConstraints(StreamReadConstraints.builder()
                                    .maxNestingDepth(JsonScanner.MAX_DEPTH)
                                    .build())
                            .build())
                    .build();
            for (int depth = JsonScanner.MAX_DEPTH - 1; depth <= JsonScanner.MAX_DEPTH + 1; depth++) {
                int arrays = depth - 1;
                String line = "{" + FOUR + ",\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";
                boolean jacksonReads;
                try {
                    jackson.readTree(line);
                    jacksonReads = true;
                } catch (RuntimeException e) {
                    jacksonReads = false;
                }
                assertThat(jacksonReads).isEqualTo(depth <= JsonScanner.MAX_DEPTH);
                assertThat(parse(line) != null).as("depth %d", depth).isEqualTo(jacksonReads);
            }
        }

        @Test
        void decodedFieldsSurviveTheScratchSpaceGrowing() {
            String big = "\\u00e9".repeat(3_000);
            Record record = parse("{\"timestamp\":\"t\\t1\",\"level\":\"L\\u00e9\",\"service\":\"s\\/"
                    + "\\n".repeat(300) + "\",\"message\":\"" + big + "\"}");
            assertThat(record).isNotNull();
            assertThat(fields(record)).isEqualTo(fields("t\t1", "Lé", "s/" + "\n".repeat(300), "é".repeat(3_000)));
        }

        @Test
        void theRecordIsRefilledForEveryLine() {
            assertThat(parse("{" + FOUR + "}").string(LogField.MESSAGE.ordinal()))
                    .isEqualTo("hello");
            Record second = parse("{\"message\":\"bye\\n\",\"timestamp\":\"t\",\"level\":\"l\",\"service\":\"s\"}");
            assertThat(fields(second)).isEqualTo(fields("t", "l", "s", "bye\n"));
            assertThat(parse("{" + TS + "," + LEVEL + "," + SERVICE + "}"))
                    .as("no field carried over")
                    .isNull();
            assertThat(parse("{" + FOUR + "}").string(LogField.MESSAGE.ordinal()))
                    .isEqualTo("hello");
        }
    }

    @Nested
    class TextForm {

        @Test
        void theDocumentedLineGivesItsFourFields() {
            Record record = parse(
                    "2026-11-20T00:00:00.001Z INFO [order-service] order-service-1 a298eb42cbbefdb8 - message text");
            assertThat(record).isNotNull();
            assertThat(fields(record))
                    .isEqualTo(fields("2026-11-20T00:00:00.001Z", "INFO", "order-service", "message text"));
        }

        @Test
        void theMessageIsEverythingAfterTheFirstDashFollowingTheBracket() {
            Record record = parse("ts WARN [a - b] host trace - first - second - third");
            assertThat(fields(record)).isEqualTo(fields("ts", "WARN", "a - b", "first - second - third"));
        }

        @Test
        void theHostPartMayBeEmpty() {
            assertThat(fields(parse("ts INFO [svc] - msg"))).isEqualTo(fields("ts", "INFO", "svc", "msg"));
        }

        @Test
        void anEmptyMessageIsValid() {
            assertThat(fields(parse("ts INFO [svc] host trace - "))).isEqualTo(fields("ts", "INFO", "svc", ""));
            assertThat(fields(parse("ts INFO [] - "))).isEqualTo(fields("ts", "INFO", "", ""));
        }

        @Test
        void anUnknownLevelIsStillValid() {
            assertThat(parse("ts LOUD [svc] h t - m").string(LogField.LEVEL.ordinal()))
                    .isEqualTo("LOUD");
        }

        @Test
        void unicodeFieldsAreKept() {
            assertThat(fields(parse("2026-11-20T00:00:00Z ÉRREUR [sérvice-日本] hôte - naïve 😀 message")))
                    .isEqualTo(fields("2026-11-20T00:00:00Z", "ÉRREUR", "sérvice-日本", "naïve 😀 message"));
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "ts INFO order-service host trace - msg", // no brackets
                    "ts INFO [order-service host trace - msg", // no closing bracket
                    "ts INFO order-service] host trace - msg", // no opening bracket
                    "ts INFO [svc] host trace msg", // no dash
                    "ts INFO [svc] host trace -msg", // dash without its spaces
                    "ts INFO [svc] host trace -", // dash at the end, no space after
                    "ts INFO [svc]- msg",
                    "ts [svc] host - msg", // no level
                    "ts  INFO [svc] - msg", // two spaces: an empty level
                    "ts INFO  [svc] - msg",
                    " ts INFO [svc] - msg", // leading space: an empty timestamp
                    "ts",
                    "ts INFO",
                    "ts INFO [svc",
                    "garbage without structure",
                    "ts INFO - [svc] msg" // the dash before the bracket does not count
                })
        void aLineWithoutTheShapeIsMalformed(String line) {
            assertThat(parse(line)).isNull();
        }

        static Stream<Arguments> invalidUtf8Anywhere() {
            String line = "ts INFO [svc] host trace - message";
            return JsonForm.invalidUtf8().flatMap(bad -> Stream.of(0, 1, 3, 8, 9, 14, 20, 28, line.length())
                    .map(at -> Arguments.of(at, bad)));
        }

        @ParameterizedTest(name = "at {0}: {1}")
        @MethodSource("invalidUtf8Anywhere")
        void invalidUtf8AnywhereInTheLineIsMalformed(int at, byte[] bad) {
            byte[] line = "ts INFO [svc] host trace - message".getBytes(StandardCharsets.UTF_8);
            byte[] broken = concat(Arrays.copyOf(line, at), bad, Arrays.copyOfRange(line, at, line.length));
            assertThat(parse(broken)).isNull();
        }

        @Test
        void invalidUtf8DeepInsideALongMessageIsMalformed() {
            String prefix = "ts INFO [svc] h t - " + "a".repeat(1_001);
            for (byte[] bad : JsonForm.invalidUtf8().toList()) {
                assertThat(parse(concat(prefix, bad, "tail"))).isNull();
            }
        }

        @Test
        void aHundredKilobyteMessageIsValid() {
            String message = "word ".repeat(20_000) + "é";
            Record record = parse("2026-11-20T00:00:00.001Z ERROR [api-gateway] gw-1 abc - " + message);
            assertThat(record).isNotNull();
            assertThat(record.string(LogField.MESSAGE.ordinal())).isEqualTo(message);
            assertThat(record.length(LogField.MESSAGE.ordinal())).isGreaterThan(100_000);
        }

        @Test
        void aLineStartingWithABraceIsReadAsJson() {
            assertThat(parse("{ts} INFO [svc] - msg")).isNull();
            assertThat(parse("  {" + FOUR + "}")).isNotNull();
        }
    }

    /**
     * For random JSON objects written by Jackson (members in random order, extra members with
     * nested values, strings of any code points, every escaping style, duplicates), the record is
     * valid exactly when Jackson reads the four fields as strings, and holds the same values.
     */
    @Nested
    class AgainstJackson {

        private final JsonMapper reader = JsonMapper.builder().build();
        private final List<JsonMapper> writers = List.of(
                JsonMapper.builder().build(),
                JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build(),
                JsonMapper.builder()
                        .enable(JsonWriteFeature.ESCAPE_NON_ASCII, JsonWriteFeature.ESCAPE_FORWARD_SLASHES)
                        .build());
        private static final String[] SPACE = {"", "", "", " ", "  ", "\t", "\n", "\r\n ", " \t"};

        @Test
        void randomObjectsReadAsJacksonReadsThem() {
            SplittableRandom random = new SplittableRandom(60);
            int valid = 0;
            for (int round = 0; round < 2_000; round++) {
                JsonMapper writer = writers.get(random.nextInt(writers.size()));
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
                for (LogField f : LogField.values()) {
                    int kind = random.nextInt(20);
                    if (kind == 0) {
                        continue; // missing
                    }
                    if (kind == 1) { // a decoy duplicate, which may end up first or last
                        members.add(Map.entry(f.jsonName(), randomValue(random, 0)));
                    }
                    members.add(Map.entry(
                            f.jsonName(),
                            kind == 2 ? randomValue(random, 0) : StringNode.valueOf(randomString(random))));
                }
                int extras = random.nextInt(0, 7);
                for (int i = 0; i < extras; i++) {
                    String name = random.nextInt(4) == 0
                            ? LogField.values()[random.nextInt(4)].jsonName().toUpperCase(Locale.ROOT)
                                    + (random.nextBoolean() ? " " : "")
                            : randomString(random);
                    members.add(Map.entry(name, randomValue(random, 0)));
                }
                Collections.shuffle(members, new Random(random.nextLong()));
                byte[] line = write(writer, members, random);

                JsonNode tree = reader.readTree(line);
                boolean jacksonValid = Stream.of(LogField.values())
                        .allMatch(f ->
                                tree.has(f.jsonName()) && tree.get(f.jsonName()).isString());
                Record record = parse(line);
                String shown = new String(line, StandardCharsets.UTF_8);
                assertThat(record != null).as("round %d: %s", round, shown).isEqualTo(jacksonValid);
                if (record != null) {
                    valid++;
                    for (LogField f : LogField.values()) {
                        assertThat(record.string(f.ordinal()))
                                .as("round %d, %s: %s", round, f, shown)
                                .isEqualTo(tree.get(f.jsonName()).stringValue());
                    }
                }
            }
            assertThat(valid).as("valid records among the random objects").isBetween(1_000, 1_900);
        }

        private byte[] write(JsonMapper writer, List<Map.Entry<String, JsonNode>> members, SplittableRandom random) {
            StringBuilder out = new StringBuilder("{");
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    out.append(space(random)).append(',');
                }
                out.append(space(random))
                        .append(writer.writeValueAsString(members.get(i).getKey()));
                out.append(space(random)).append(':').append(space(random));
                out.append(writer.writeValueAsString(members.get(i).getValue()));
            }
            return out.append(space(random))
                    .append('}')
                    .append(space(random))
                    .toString()
                    .getBytes(StandardCharsets.UTF_8);
        }

        private String space(SplittableRandom random) {
            return SPACE[random.nextInt(SPACE.length)];
        }

        private JsonNode randomValue(SplittableRandom random, int depth) {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            switch (random.nextInt(depth < 3 ? 10 : 7)) {
                case 0:
                    return StringNode.valueOf(randomString(random));
                case 1:
                    return nodes.numberNode(random.nextLong());
                case 2:
                    return nodes.numberNode(random.nextInt(-1000, 1000));
                case 3:
                    return nodes.numberNode(Double.longBitsToDouble(random.nextLong()) % 1e300);
                case 4:
                    return nodes.booleanNode(random.nextBoolean());
                case 5:
                    return nodes.nullNode();
                case 6:
                    return nodes.numberNode(new BigDecimal(
                            random.nextLong() + "." + random.nextInt(1_000_000) + "E" + random.nextInt(-50, 50)));
                case 7, 8: {
                    ArrayNode array = nodes.arrayNode();
                    for (int i = random.nextInt(0, 4); i > 0; i--) {
                        array.add(randomValue(random, depth + 1));
                    }
                    return array;
                }
                default: {
                    ObjectNode object = nodes.objectNode();
                    for (int i = random.nextInt(0, 4); i > 0; i--) {
                        String name = random.nextBoolean()
                                ? LogField.values()[random.nextInt(4)].jsonName() // nested fields do not count
                                : randomString(random);
                        object.set(name, randomValue(random, depth + 1));
                    }
                    return object;
                }
            }
        }

        /** Any code points but lone surrogates: quotes, backslashes, controls, Latin-1, BMP, astral. */
        private String randomString(SplittableRandom random) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(0, 24); i > 0; i--) {
                int cp =
                        switch (random.nextInt(10)) {
                            case 0 -> "\"\\/'".charAt(random.nextInt(4));
                            case 1 -> random.nextBoolean() ? random.nextInt(0, 0x20) : 0x7F;
                            case 2 -> random.nextInt(0x80, 0x100);
                            case 3 ->
                                random.nextBoolean() ? random.nextInt(0x100, 0xD800) : random.nextInt(0xE000, 0x10000);
                            case 4 -> random.nextInt(0x10000, 0x110000);
                            case 5 ->
                                new int[] {0x2028, 0x2029, 0xFEFF, 0xFFFD, 0x85, 0x1F600, 0x10FFFF}[random.nextInt(7)];
                            default -> random.nextInt(0x20, 0x7F);
                        };
                s.appendCodePoint(cp);
            }
            return s.toString();
        }
    }

    @Test
    void aRecordIsValidInEitherFormAfterAMalformedLine() {
        assertThat(parse("nonsense")).isNull();
        assertThat(parse("ts INFO [svc] - m")).isNotNull();
        assertThat(parse("{\"broken\"")).isNull();
        assertThat(parse("{" + FOUR + "}")).isNotNull();
        assertThat(parse("{\"broken\"")).isNull();
        assertThat(fields(parse("ts INFO [svc] - m"))).isEqualTo(fields("ts", "INFO", "svc", "m"));
    }
}
