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
}
