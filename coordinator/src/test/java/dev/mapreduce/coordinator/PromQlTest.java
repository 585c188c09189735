package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricOfAPlainSelectorWithLabelMatchers() {
        assertThat(PromQl.metricNames("process_cpu_usage{job=\"map-worker\", instance=~\"127.*\"}"))
                .containsExactly("process_cpu_usage");
    }

    @Test
    void skipsFunctionsAggregationsAndTheirLabelLists() {
        assertThat(
                        PromQl.metricNames(
                                "histogram_quantile(0.95, sum by (le, type) (rate(mapreduce_task_duration_seconds_bucket[5m])))"))
                .containsExactly("mapreduce_task_duration_seconds_bucket");
        assertThat(PromQl.metricNames(
                        "sum(rate(a_total[1h30m])) without (instance) / ignoring(type) group_left(job) b"))
                .containsExactly("a_total", "b");
        assertThat(PromQl.metricNames("max by(worker)(lag_seconds) > bool 5 and on (worker) up == 1"))
                .containsExactly("lag_seconds", "up");
    }

    @Test
    void skipsNumbersDurationsStringsVariablesAndComments() {
        assertThat(PromQl.metricNames("clamp_min(x, 1e-9) * 0x1f + .5 # the_comment\n"
                        + "+ label_replace(y, \"dst\", \"$1\", \"src\", \"(.*)\") offset 5m"))
                .containsExactly("x", "y");
        assertThat(PromQl.metricNames("rate(z[$__rate_interval]) * ${factor} + rate(w[[[interval]]])"))
                .containsExactly("z", "w");
        assertThat(PromQl.metricNames("count(up == 0) or vector(0)")).containsExactly("up");
    }

    @Test
    void keepsANameThatLooksLikeAKeywordWhenItHasALongerSpelling() {
        assertThat(PromQl.metricNames("sum(summary_count) + max_connections + countdown"))
                .containsExactly("summary_count", "max_connections", "countdown");
    }

    @Test
    void rejectsUnclosedBrackets() {
        assertThatThrownBy(() -> PromQl.metricNames("rate(x[5m)")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PromQl.metricNames("x{job=\"a}")).isInstanceOf(IllegalArgumentException.class);
    }
}
