package dev.mapreduce.engine.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreviewTest {

    @Test
    void eachRecordShowsItsFieldsAndTimeOrWhyItIsMalformed() {
        Preview.Result r = Preview.of(
                Formats.compile(FormatSpec.of("apache_combined")),
                "203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] \"GET /cart HTTP/1.1\" 200 2326 \"-\" \"curl/8\"\n"
                        + "not an access log\n");
        assertThat(r.format()).isEqualTo("apache_combined");
        assertThat(r.parsed()).isEqualTo(1);
        assertThat(r.malformed()).isEqualTo(1);
        Preview.Entry ok = r.records().get(0);
        assertThat(ok.line()).isEqualTo(1);
        assertThat(ok.fields())
                .containsEntry("status", "200")
                .containsEntry("path", "/cart")
                .containsEntry("rest", null);
        assertThat(ok.time()).isEqualTo("2026-10-10T20:55:36Z");
        Preview.Entry bad = r.records().get(1);
        assertThat(bad.line()).isEqualTo(2);
        assertThat(bad.error()).isEqualTo("no [time] after the user");
        assertThat(Preview.describe(bad)).isEqualTo("line 2: no [time] after the user: \"not an access log\"");
    }

    @Test
    void formatsThatTakeAnyFieldShowTheFieldsTheLinesHold() {
        Preview.Result json = Preview.of(
                Formats.compile(FormatSpec.of("json")),
                "{\"a\":1,\"http\":{\"status\":200,\"tags\":[1]},\"e\":{}}\n{\"b\":\"x\"}");
        assertThat(json.fields())
                .extracting(FieldInfo::name)
                .containsExactly("a", "http.status", "http.tags", "e", "b");
        assertThat(json.records().get(1).fields()).containsEntry("b", "x").containsEntry("a", null);
        Preview.Result logfmt =
                Preview.of(Formats.compile(FormatSpec.of("logfmt")), "level=INFO msg=\"a b\" user=alice");
        assertThat(logfmt.fields()).extracting(FieldInfo::name).contains("time", "level", "msg", "user");
        Preview.Result csv = Preview.of(Formats.compile(FormatSpec.of("csv")), "x,\"y z\"\n1,2\n3");
        assertThat(csv.fields()).extracting(FieldInfo::name).containsExactly("x", "y z");
        assertThat(csv.records()).hasSize(2);
        assertThat(csv.records().get(0).fields()).containsEntry("y z", "2");
        assertThat(csv.records().get(1).error()).isEqualTo("1 values for 2 columns");
        assertThat(csv.records().get(1).line()).isEqualTo(3);
    }

    @Test
    void multiLineEventsAreShownWhole() {
        Preview.Result r = Preview.of(
                Formats.compile(FormatSpec.of("log4j")),
                "2026-11-20 08:15:30,123 ERROR [main] a.B - boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)\n"
                        + "2026-11-20 08:15:31,000 INFO [main] a.B - fine");
        assertThat(r.records()).extracting(Preview.Entry::line).containsExactly(1, 4);
        assertThat(r.records().get(0).fields())
                .containsEntry("exception", "java.lang.IllegalStateException")
                .containsEntry("message", "boom");
        assertThat(r.records().get(0).time()).isEqualTo("2026-11-20T08:15:30.123Z");
        assertThat(List.of(r.parsed(), r.malformed())).containsExactly(2, 0);
    }
}
