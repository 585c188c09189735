package dev.mapreduce.engine.format.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.re2j.Pattern;
import dev.mapreduce.engine.format.FieldType;
import dev.mapreduce.engine.format.FormatException;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.format.Regexes;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.testing.FormatGen;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrokTest {

    static FormatSpec grok(String pattern, Map<String, String> own) {
        return new FormatSpec("grok", pattern, own, null, null, null, null, null, null, null);
    }

    static Record parse(RecordParser p, String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return p.parse(b, 0, b.length);
    }

    @Test
    void everyLibraryPatternCompilesToRe2() {
        List<String> failures = new ArrayList<>();
        Grok.library().forEach((name, definition) -> {
            List<String> problems = new ArrayList<>();
            Grok.Expansion e = Grok.expand("%{" + name + "}", Map.of(), problems);
            if (!problems.isEmpty()) {
                failures.add(name + ": " + problems);
                return;
            }
            try {
                Regexes.compile(e.regex());
            } catch (FormatException ex) {
                failures.add(name + ": " + ex.getMessage());
            }
        });
        assertThat(failures).isEmpty();
        assertThat(Grok.library()).hasSizeGreaterThan(300).containsKeys("COMBINEDAPACHELOG", "SYSLOGLINE", "JAVACLASS");
    }

    @Test
    void theLibrarysCombinedLogPatternReadsWhatTheApacheCombinedPresetReads() {
        LogFormat grok = Formats.compile(grok("%{COMBINEDAPACHELOG}", null));
        assertThat(grok.field("bytes")).isPresent();
        List<String> grokFields =
                List.of("clientip", "auth", "verb", "request", "httpversion", "response", "bytes", "agent");
        RecordParser g = grok.newParser(grokFields);
        LogFormat preset = Formats.compile(FormatSpec.of("apache_combined"));
        RecordParser p = preset.newParser(
                List.of("client", "user", "method", "path", "protocol", "status", "bytes", "user_agent"));
        FormatGen gen = new FormatGen(11);
        int compared = 0;
        for (int i = 0; i < 3000; i++) {
            String line = gen.access(true).text();
            Record a = parse(p, line);
            List<String> fromPreset = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                fromPreset.add(a.string(s));
            }
            Record b = parse(g, line);
            if (fromPreset.get(2) == null || line.contains("\\\"")) {
                continue; // no request line shape, or an escaped quote the library's QS reads another way
            }
            assertThat(b).as(line).isNotNull();
            List<String> fromGrok = new ArrayList<>();
            for (int s = 0; s < 8; s++) {
                fromGrok.add(b.string(s));
            }
            // the library keeps HTTP/ out of the version and the quotes around the agent
            fromGrok.set(4, fromGrok.get(4) == null ? null : "HTTP/" + fromGrok.get(4));
            fromGrok.set(7, fromGrok.get(7).substring(1, fromGrok.get(7).length() - 1));
            assertThat(fromGrok).as(line).isEqualTo(fromPreset);
            compared++;
        }
        assertThat(compared).isGreaterThan(2000);
    }

    @Test
    void ownPatternsTypesAndOnigurumaGroups() {
        LogFormat f = Formats.compile(grok(
                "%{ORDER:order} took %{NUMBER:ms:int} ms at %{NUMBER:load:float} (?<tail>.*)",
                Map.of("ORDER", "ord-%{HEX8}", "HEX8", "[0-9a-f]{8}")));
        assertThat(f.field("ms").orElseThrow().type()).isEqualTo(FieldType.LONG);
        assertThat(f.field("load").orElseThrow().type()).isEqualTo(FieldType.DOUBLE);
        assertThat(f.field("order").orElseThrow().type()).isEqualTo(FieldType.STRING);
        Record r = parse(
                f.newParser(List.of("order", "ms", "load", "tail")), "x ord-0123abcd took 17 ms at 0.75 rest of it");
        assertThat(r.string(0)).isEqualTo("ord-0123abcd");
        assertThat(r.longValue(1, -1)).isEqualTo(17);
        assertThat(r.doubleValue(2)).isEqualTo(0.75);
        assertThat(r.string(3)).isEqualTo("rest of it");
        assertThat(parse(f.newParser(List.of("order")), "ord-0123abcd took many ms"))
                .isNull();
    }

    @Test
    void aFieldNamedInEachAlternativeTakesTheOneThatMatched() {
        LogFormat f = Formats.compile(grok("%{HTTPD_ERRORLOG}", null));
        RecordParser p = f.newParser(List.of("loglevel", "clientip", "message", "module"));
        Record old = parse(p, "[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1] client denied by server");
        assertThat(old.string(0)).isEqualTo("error");
        assertThat(old.string(1)).isEqualTo("127.0.0.1");
        assertThat(old.string(2)).isEqualTo("client denied by server");
        assertThat(old.present(3)).isFalse();
        Record recent = parse(
                p,
                "[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416]"
                        + " [client 72.15.99.187:80] File does not exist: /favicon.ico");
        assertThat(recent.string(0)).isEqualTo("error");
        assertThat(recent.string(1)).isEqualTo("72.15.99.187");
        assertThat(recent.string(3)).isEqualTo("core");
    }

    @Test
    void everyProblemOfAnExpressionIsNamed() {
        FormatException e = catchThrowableOfType(
                FormatException.class,
                () -> Formats.compile(grok(
                        "%{NOPE:a} %{LOOP:b} %{INT:c:bignum} %{WORD",
                        Map.of("LOOP", "x%{LOOP2}", "LOOP2", "%{LOOP}", "bad name", "x"))));
        assertThat(e.getMessage())
                .contains("unknown grok pattern 'NOPE'")
                .contains("refers to itself")
                .contains("unknown grok type 'bignum'")
                .contains("an unclosed %{")
                .contains("'bad name'");
    }

    @Test
    void lookaroundInAnOwnPatternIsRefusedAsRe2Refuses() {
        FormatException e =
                catchThrowableOfType(FormatException.class, () -> Formats.compile(grok("%{WORD:w}(?=x)", null)));
        assertThat(e.getMessage()).contains("not a valid RE2 pattern").contains("lookaround");
    }

    @Test
    void theExpansionIsOneRe2Program() {
        List<String> problems = new ArrayList<>();
        Grok.Expansion e = Grok.expand("%{COMBINEDAPACHELOG}", Map.of(), problems);
        assertThat(problems).isEmpty();
        Pattern p = Regexes.compile(e.regex());
        assertThat(p.namedGroups())
                .hasSize(e.fields().values().stream().mapToInt(List::size).sum());
    }
}
