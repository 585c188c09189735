package dev.mapreduce.engine.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionCatalogueTest {

    @Test
    void namesMatchIgnoringCaseAndSpaces() {
        assertThat(FunctionCatalogue.reduceFunction(" avg ")).isEqualTo(ReduceFunction.AVG);
        assertThat(FunctionCatalogue.mapFunction("word_count", Map.of())).isInstanceOf(WordCount.class);
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> FunctionCatalogue.mapFunction("GREP", Map.of()))
                .isInstanceOf(JobFunctionException.class)
                .hasMessage("unknown map function 'GREP'; valid: WORD_COUNT, SERVICE_DISTRIBUTION, LEVEL_COUNT,"
                        + " ERROR_PATTERN, LATENCY, COUNT_BY, VALUE_BY");
        assertThatThrownBy(() -> FunctionCatalogue.reduceFunction(null))
                .hasMessage("unknown reduce function 'null'; valid: SUM, COUNT, MIN, MAX, AVG");
    }

    @Test
    void everyMapFunctionDescribesItselfAndEachParameterItTakes() {
        assertThat(FunctionCatalogue.mapFunctions()).allSatisfy(f -> {
            assertThat(f.description()).isNotBlank();
            assertThat(f.parameters().isEmpty()).isEqualTo(f.parameterDetails().isEmpty());
            assertThat(f.parameterDetails())
                    .allSatisfy(p -> assertThat(p.description()).isNotBlank());
        });
        FunctionCatalogue.MapFunctionInfo errorPattern = FunctionCatalogue.mapFunctions().stream()
                .filter(f -> f.name().equals("ERROR_PATTERN"))
                .findFirst()
                .orElseThrow();
        assertThat(errorPattern.parameterDetails()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("pattern.NAME");
            assertThat(p.description()).contains("RE2");
            assertThat(p.defaultValue()).isNull();
        });
        assertThat(parameterNames("COUNT_BY")).containsExactly("field");
        assertThat(parameterNames("VALUE_BY")).containsExactly("key", "value");
        assertThat(FunctionCatalogue.mapFunctions().stream()
                        .filter(f -> !List.of("ERROR_PATTERN", "COUNT_BY", "VALUE_BY")
                                .contains(f.name()))
                        .flatMap(f -> f.parameterDetails().stream()))
                .isEmpty();
    }

    private static List<String> parameterNames(String function) {
        return FunctionCatalogue.mapFunctions().stream()
                .filter(f -> f.name().equals(function))
                .flatMap(f -> f.parameterDetails().stream())
                .map(FunctionCatalogue.Parameter::name)
                .toList();
    }

    @Test
    void eachFunctionNamesTheFieldsItReads() {
        assertThat(FunctionCatalogue.mapFunction("WORD_COUNT", Map.of()).fields())
                .containsExactly("message");
        assertThat(FunctionCatalogue.mapFunction("SERVICE_DISTRIBUTION", Map.of())
                        .fields())
                .containsExactly("service");
        assertThat(FunctionCatalogue.mapFunction("LEVEL_COUNT", Map.of()).fields())
                .containsExactly("level");
        assertThat(FunctionCatalogue.mapFunction("ERROR_PATTERN", Map.of()).fields())
                .containsExactly("level", "message");
        assertThat(FunctionCatalogue.mapFunction("LATENCY", Map.of()).fields()).containsExactly("service", "message");
        assertThat(FunctionCatalogue.mapFunction("COUNT_BY", Map.of("field", "status"))
                        .fields())
                .containsExactly("status");
        assertThat(FunctionCatalogue.mapFunction("VALUE_BY", Map.of("key", "path", "value", "bytes"))
                        .fields())
                .containsExactly("path", "bytes");
    }

    @Test
    void countByAndValueByNeedTheirParametersAndNoOthers() {
        assertThatThrownBy(() -> FunctionCatalogue.mapFunction("COUNT_BY", Map.of()))
                .isInstanceOf(JobFunctionException.class)
                .hasMessage("COUNT_BY needs the parameter 'field' (the field to count by, e.g. status)");
        assertThatThrownBy(() -> FunctionCatalogue.mapFunction("VALUE_BY", Map.of("key", "path", "sum", "x")))
                .isInstanceOf(JobFunctionException.class)
                .hasMessage("unknown parameter 'sum' (VALUE_BY takes key, value); VALUE_BY needs the parameter"
                        + " 'value' (the field holding a whole number, e.g. bytes)");
    }

    @Test
    void functionsWithoutParametersRejectThem() {
        assertThatThrownBy(() -> FunctionCatalogue.mapFunction("WORD_COUNT", Map.of("pattern.X", "x")))
                .hasMessage("WORD_COUNT takes no parameters, got pattern.X");
    }

    @Test
    void parametersThatAreWrongAreNamedInTheSameOrderInEveryJvm() {
        // Map.of iterates in an order chosen per JVM: the message must not follow it
        assertThatThrownBy(() -> FunctionCatalogue.mapFunction("WORD_COUNT", Map.of("b", "1", "a", "2", "c", "3")))
                .hasMessage("WORD_COUNT takes no parameters, got a, b, c");
        assertThatThrownBy(() -> FunctionCatalogue.mapFunction(
                        "VALUE_BY", Map.of("key", "path", "value", "bytes", "zz", "1", "aa", "2")))
                .hasMessage("unknown parameter 'aa' (VALUE_BY takes key, value); unknown parameter 'zz'"
                        + " (VALUE_BY takes key, value)");
    }

    @Test
    void wordCountLowercasesMaximalAsciiWordRuns() {
        MapFunction f = FunctionCatalogue.mapFunction("WORD_COUNT", Map.of());
        assertThat(MapFunctions.emitted(f, "INFO", "s", "GET /api/v1/Orders status=200, user_42 café ÉTÉ"))
                .containsExactly(
                        "get=1", "api=1", "v1=1", "orders=1", "status=1", "200=1", "user_42=1", "caf=1", "t=1");
    }

    @Test
    void serviceAndLevelAreCountedAsWritten() {
        assertThat(MapFunctions.emitted(
                        FunctionCatalogue.mapFunction("SERVICE_DISTRIBUTION", Map.of()), "LOUD", "??", "m"))
                .containsExactly("??=1");
        assertThat(MapFunctions.emitted(FunctionCatalogue.mapFunction("LEVEL_COUNT", Map.of()), "Info", "s", "m"))
                .containsExactly("Info=1");
    }

    @Test
    void latencyTakesTheFirstDurationInMilliseconds() {
        MapFunction f = FunctionCatalogue.mapFunction("LATENCY", Map.of());
        assertThat(MapFunctions.emitted(f, "INFO", "api", "GET /x status 200 in 532 ms"))
                .containsExactly("api=532");
        assertThat(MapFunctions.emitted(f, "INFO", "api", "took 12ms then 40 ms"))
                .containsExactly("api=12");
        assertThat(MapFunctions.emitted(f, "INFO", "api", "id x12 ms, 7 msgs, 9 mss"))
                .isEmpty();
        assertThat(MapFunctions.emitted(f, "INFO", "api", "1234567890123456789 ms"))
                .isEmpty();
    }

    @Test
    void reduceFunctionsFoldPartials() {
        assertThat(ReduceFunction.COUNT.first(42)).isEqualTo(1);
        assertThat(ReduceFunction.MIN.merge(3, -2)).isEqualTo(-2);
        assertThat(ReduceFunction.MAX.merge(3, -2)).isEqualTo(3);
        assertThat(ReduceFunction.SUM.result(7, 0)).isEqualTo("7");
        assertThat(ReduceFunction.AVG.result(10, 4)).isEqualTo("2.5");
        assertThat(ReduceFunction.AVG.result(10, 5)).isEqualTo("2");
        assertThat(ReduceFunction.AVG.result(2, 3)).isEqualTo("0.666667");
        assertThat(ReduceFunction.AVG.result(-7, 2)).isEqualTo("-3.5");
        assertThat(ReduceFunction.AVG.result(Long.MAX_VALUE, 3))
                .isEqualTo(BigDecimal.valueOf(Long.MAX_VALUE)
                        .divide(BigDecimal.valueOf(3), 6, RoundingMode.HALF_EVEN)
                        .stripTrailingZeros()
                        .toPlainString());
    }

    @Test
    void sumsThatOverflowFailInsteadOfWrapping() {
        assertThatThrownBy(() -> ReduceFunction.SUM.merge(Long.MAX_VALUE, 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> ReduceFunction.AVG.mergeCount(Long.MAX_VALUE, 1))
                .isInstanceOf(ArithmeticException.class);
    }
}
