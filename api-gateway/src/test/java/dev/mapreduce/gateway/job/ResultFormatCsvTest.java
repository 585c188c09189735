package dev.mapreduce.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** The results CSV: keys a spreadsheet would run as formulas are neutralised, numbers stay numbers. */
class ResultFormatCsvTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "=HYPERLINK(\"http://evil\")|`\"'=HYPERLINK(\"\"http://evil\"\")\"`",
                "+1+2|'+1+2",
                "-2+3|'-2+3",
                "@SUM(A1:A9)|'@SUM(A1:A9)",
                "=1,2|`\"'=1,2\"`",
                "a=b|a=b",
                "order-service|order-service",
                "'quoted|'quoted"
            })
    void aKeyStartingAFormulaGetsALeadingQuote(String key, String cell) {
        assertThat(ResultFormat.csvField(key)).isEqualTo(cell);
    }

    @Test
    void tabAndCarriageReturnFirstAreNeutralisedToo() {
        assertThat(ResultFormat.csvField("\tcmd")).isEqualTo("'\tcmd");
        assertThat(ResultFormat.csvField("\rcmd")).isEqualTo("\"'\rcmd\"");
        assertThat(ResultFormat.csvField("")).isEmpty();
    }

    @Test
    void negativeValuesStayUnquotedNumbers() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultFormat.Rows rows =
                ResultFormat.CSV.open(out, JsonMapper.builder().build(), UUID.randomUUID(), ResultStore.Order.KEY, 0);
        rows.row("-5", new BigDecimal("-5"));
        rows.row("=cmd|' /C calc'!A0", new BigDecimal("-2.500000"));
        rows.row("plain", BigDecimal.TEN);
        rows.finish();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("key,value\r\n'-5,-5\r\n'=cmd|' /C calc'!A0,-2.500000\r\nplain,10\r\n");
    }
}
