package dev.mapreduce.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequiredLiteralTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiterString = " => ",
            ignoreLeadingAndTrailingWhitespace = false,
            nullValues = "NONE",
            value = {
                "in (\\d+) ms => in ",
                "[Uu]ser (\\d+) => ser ",
                "status 5\\d\\d => status 5",
                "a => a",
                "ab?c => a",
                "abc*d => ab",
                "x+yz => yz",
                "foo|bar => NONE",
                "(?i)timeout => NONE",
                "(abc)?def => def",
                "\\d+ => NONE",
                "^GET /api => GET /api",
                "a\\.b => a.b",
                "colou?r => colo",
                "[abc]{3}xy => xy",
                "x{2}yy => yy"
            })
    void findsTheLongestRunEveryMatchContains(String regex, String literal) {
        assertThat(RequiredLiteral.of(regex)).isEqualTo(literal);
    }
}
