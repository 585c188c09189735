package dev.mapreduce.engine.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResultKeysTest {

    static String written(String key) throws IOException {
        byte[] bytes = (key + "ignored past len").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultKeys.write(bytes, key.getBytes(StandardCharsets.UTF_8).length, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachNulBecomesTheSymbolForNullAndEverythingElseStays() throws IOException {
        assertThat(written("a\0b\0\0")).isEqualTo("a␀b␀␀").isEqualTo(ResultKeys.of("a\0b\0\0"));
        assertThat(written("\0")).isEqualTo("␀");
        assertThat(written("ünï\tcode")).isEqualTo("ünï\tcode");
        assertThat(written("")).isEmpty();
    }

    @Test
    void theReplacementIsTheUtf8OfU2400() {
        byte[] out = new byte[4];
        assertThat(ResultKeys.putNulReplacement(out, 1)).isEqualTo(1 + ResultKeys.MAX_EXPANSION);
        assertThat(new String(out, 1, 3, StandardCharsets.UTF_8)).isEqualTo("\u2400");
    }
}
