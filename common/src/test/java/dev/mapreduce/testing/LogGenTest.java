package dev.mapreduce.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.RecordParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogGenTest {

    private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");

    @Test
    void withoutEdgeCasesEveryBrokenLineIsUnparseableAndTheOthersAreTheSame() throws IOException {
        List<byte[]> usual = lines(new LogGen(42), true);
        List<byte[]> demo = lines(new LogGen(42).withoutEdgeCases(), true);
        RecordParser parser = Formats.DEFAULT.newParser(List.of("message"));

        assertThat(demo).hasSameSizeAs(usual);
        int differing = 0;
        int usualParsed = 0;
        for (int i = 0; i < usual.size(); i++) {
            if (Arrays.equals(usual.get(i), demo.get(i))) {
                continue;
            }
            differing++;
            byte[] line = demo.get(i);
            assertThat(parser.parse(line, 0, line.length))
                    .as("line %d: %s", i, text(line))
                    .isNull();
            byte[] before = usual.get(i);
            if (parser.parse(before, 0, before.length) != null) {
                usualParsed++;
            }
        }
        assertThat(differing).as("broken lines of another kind").isGreaterThan(100);
        assertThat(usualParsed).as("the usual edge cases that parse").isGreaterThan(10);
        assertThat(demo).noneMatch(l -> l.length > 1000 || text(l).contains("LOUD"));
        assertThat(usual).anyMatch(l -> l.length > 100_000 && text(l).contains("spam spam"));
        assertThat(usual).anyMatch(l -> text(l).contains("\"level\":\"LOUD\""));
    }

    private static List<byte[]> lines(LogGen gen, boolean json) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gen.write(out, 20_000, json, 0.05, START, 1000);
        byte[] all = out.toByteArray();
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }
}
