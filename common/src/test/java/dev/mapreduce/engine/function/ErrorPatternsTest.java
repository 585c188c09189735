package dev.mapreduce.engine.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorPatternsTest {

    private final MapFunction builtIn = FunctionCatalogue.mapFunction("ERROR_PATTERN", Map.of());

    @Test
    void builtInPatternsNameWhatTheyFind() {
        assertThat(MapFunctions.emitted(builtIn, "ERROR", "s", "Connection timeout to order-service after 3000 ms"))
                .containsExactlyInAnyOrder("TIMEOUT=1", "CONNECTION_FAILURE=1");
        assertThat(MapFunctions.emitted(
                        builtIn,
                        "ERROR",
                        "s",
                        "SocketTimeoutException at com.example.PaymentClient.handle(PaymentClient.java:42) x"))
                .containsExactly("EXCEPTION:SocketTimeoutException=1");
        assertThat(MapFunctions.emitted(builtIn, "ERROR", "s", "POST /api/v1/payments status 503 in 12 ms failed: x"))
                .containsExactly("HTTP_5XX:503=1");
        assertThat(MapFunctions.emitted(builtIn, "WARN", "s", "Slow query on orders took 900 ms"))
                .containsExactly("SLOW_OPERATION=1");
        assertThat(MapFunctions.emitted(builtIn, "warning", "s", "Retrying call to user-service attempt 2"))
                .containsExactly("RETRY=1");
    }

    @Test
    void onlyWarnAndErrorLinesCount() {
        assertThat(MapFunctions.emitted(builtIn, "INFO", "s", "Connection timeout"))
                .isEmpty();
        assertThat(MapFunctions.emitted(builtIn, "DEBUG", "s", "NullPointerException"))
                .isEmpty();
        assertThat(MapFunctions.emitted(builtIn, "FATAL", "s", "NullPointerException"))
                .containsExactly("EXCEPTION:NullPointerException=1");
    }

    @Test
    void userPatternsAreAddedAndMayReplaceABuiltInOne() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("pattern.LOGIN_FAILED", "(?i)login failed for user ([a-z]+)");
        params.put("pattern.TIMEOUT", "deadline exceeded");
        MapFunction f = FunctionCatalogue.mapFunction("ERROR_PATTERN", params);
        assertThat(MapFunctions.emitted(f, "ERROR", "s", "Login failed for user alice: deadline exceeded; timeout"))
                .containsExactlyInAnyOrder("LOGIN_FAILED:alice=1", "TIMEOUT=1");
        assertThat(MapFunctions.emitted(f, "ERROR", "s", "plain timeout")).isEmpty();
    }

    @Test
    void catastrophicBacktrackingPatternRunsInLinearTime() {
        MapFunction f = FunctionCatalogue.mapFunction("ERROR_PATTERN", Map.of("pattern.EVIL", "(a+)+$"));
        String message = "a".repeat(100_000) + "b";
        // A backtracking engine would not finish this in the lifetime of the universe; the bound
        // only guards the build against a hang, it is not a speed target.
        List<String> out =
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> MapFunctions.emitted(f, "ERROR", "s", message));
        assertThat(out).noneMatch(k -> k.startsWith("EVIL"));
        assertThat(MapFunctions.emitted(f, "ERROR", "s", "aaaa")).contains("EVIL:aaaa=1");
    }

    @Test
    void invalidPatternsAreRejectedUpFrontAllAtOnce() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("pattern.UNCLOSED", "(abc");
        params.put("pattern.BACKREF", "(a)\\1");
        params.put("pattern.bad name!", "x");
        params.put("patterns", "x");
        assertThatThrownBy(() -> FunctionCatalogue.mapFunction("ERROR_PATTERN", params))
                .isInstanceOf(JobFunctionException.class)
                .hasMessageContaining("pattern 'UNCLOSED' is not a valid RE2 regular expression: missing closing )")
                .hasMessageContaining("pattern 'BACKREF' is not a valid RE2 regular expression")
                .hasMessageContaining("pattern name 'bad name!'")
                .hasMessageContaining("unknown parameter 'patterns'");
    }

    @Test
    void hugeOrTooManyPatternsAreRejected() {
        assertThatThrownBy(
                        () -> FunctionCatalogue.mapFunction("ERROR_PATTERN", Map.of("pattern.BIG", "a".repeat(5000))))
                .hasMessageContaining("longer than 2000 characters");
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i <= ErrorPatterns.MAX_PATTERNS; i++) {
            many.put("pattern.P" + i, "x" + i);
        }
        assertThatThrownBy(() -> FunctionCatalogue.mapFunction("ERROR_PATTERN", many))
                .hasMessageContaining("at most 100 user patterns");
    }

    @Test
    void patternsWhoseRepetitionsExpandBeyondTheBudgetAreRejectedBeforeTheyAreCompiled() {
        // each of these is a few bytes of job request; compiled by RE2/J they take 10^6 to 10^8 instructions
        for (String regex : List.of(
                "(a{1000}){1000}", "((((a{100}){100}){100}){100})", "((x{99}){99}){99}", "(?:[a-z]{1000}){50}")) {
            assertThatThrownBy(() -> FunctionCatalogue.mapFunction("ERROR_PATTERN", Map.of("pattern.HUGE", regex)))
                    .as(regex)
                    .isInstanceOf(JobFunctionException.class)
                    .hasMessageContaining("pattern 'HUGE' is too large once its repetitions are expanded");
        }
    }

    @Test
    void ordinaryCountedRepetitionsAndEveryBuiltInFitTheBudget() {
        for (String regex : List.of(
                "\\d{1,5} ms",
                "[a-z]{1000}",
                "(foo|bar){100}",
                "(?i)timed? ?out after (\\d{1,9}) ?ms",
                "a{2,}b{3}",
                "\\p{Greek}{10}",
                "[\\]{}]{10}",
                "x{",
                "{1000}")) {
            assertThat(RegexSize.of(regex, ErrorPatterns.MAX_PROGRAM_SIZE))
                    .as(regex)
                    .isLessThanOrEqualTo(ErrorPatterns.MAX_PROGRAM_SIZE);
        }
        for (ErrorPatterns.BuiltIn b : ErrorPatterns.CATALOGUE) {
            assertThat(RegexSize.of(b.regex(), ErrorPatterns.MAX_PROGRAM_SIZE))
                    .as(b.name())
                    .isLessThan(1000);
        }
    }

    @Test
    void theBoundIsNeverBelowTheLiteralLengthAndGrowsWithTheCounts() {
        assertThat(RegexSize.of("abc", 100)).isGreaterThanOrEqualTo(3);
        assertThat(RegexSize.of("(ab){10}", 1000)).isGreaterThan(RegexSize.of("(ab){2}", 1000));
        assertThat(RegexSize.of("((a{10}){10}){10}", 100_000)).isGreaterThanOrEqualTo(1000);
        assertThat(RegexSize.of("((a{10}){10}){10}", 100)).isEqualTo(Long.MAX_VALUE);
    }
}
