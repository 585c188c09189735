package dev.mapreduce.engine.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordTest {

    static Record of(String value) {
        Record r = new Record(1);
        byte[] b = ("[" + value + "]").getBytes(StandardCharsets.UTF_8);
        r.set(0, b, 1, b.length - 2);
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "+17", "-9223372036854775808", "9223372036854775807", "00042"})
    void wholeNumbersReadAsLongs(String text) {
        assertThat(of(text).longValue(0, -1)).isEqualTo(Long.parseLong(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "-", "+", "1.5", " 1", "1 ", "9223372036854775808", "-9223372036854775809", "0x10", "-"})
    void anythingElseIsNotALong(String text) {
        assertThat(of(text).longValue(0, 12345)).isEqualTo(12345);
    }

    @Test
    void absentSlotsAreNullsEverywhere() {
        Record r = new Record(2, 3);
        assertThat(r.slots()).isEqualTo(2);
        assertThat(r.capacity()).isEqualTo(3);
        assertThat(r.present(1)).isFalse();
        assertThat(r.length(1)).isEqualTo(-1);
        assertThat(r.string(1)).isNull();
        assertThat(r.is(1, "")).isFalse();
        assertThat(r.longValue(1, 5)).isEqualTo(5);
        assertThat(r.doubleValue(1)).isNaN();
    }

    @Test
    void doublesAndCopies() {
        assertThat(of("2.5e3").doubleValue(0)).isEqualTo(2500.0);
        assertThat(of("NaN").doubleValue(0)).isNaN();
        Record r = new Record(1);
        byte[] src = "abc".getBytes(StandardCharsets.US_ASCII);
        r.setCopy(0, src, 1, 2);
        src[1] = 'x';
        assertThat(r.string(0)).isEqualTo("bc");
        assertThat(r.is(0, "bc")).isTrue();
        r.reset();
        assertThat(r.present(0)).isFalse();
    }
}
