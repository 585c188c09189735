package dev.mapreduce.gateway.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class CoordinatorPropertiesTest {

    final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(CoordinatorProperties.class)
    static class Config {}

    @Test
    void theDefaultIsOneLocalCoordinator() {
        context.run(ctx -> {
            CoordinatorProperties properties = ctx.getBean(CoordinatorProperties.class);
            assertThat(properties.urls()).containsExactly(URI.create("http://127.0.0.1:8080"));
            assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(properties.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        });
    }

    @Test
    void aCommaSeparatedValueListsSeveralInOrderWithoutBlanksOrTrailingSlashes() {
        context.withPropertyValues(
                        "mapreduce.coordinator.url= , http://coordinator-2:8080/ ,,http://Coordinator-1:8080//, "
                                + "https://10.0.0.7/base/ ,")
                .run(ctx -> assertThat(ctx.getBean(CoordinatorProperties.class).urls())
                        .containsExactly(
                                URI.create("http://coordinator-2:8080"),
                                URI.create("http://Coordinator-1:8080"),
                                URI.create("https://10.0.0.7/base")));
    }

    @Test
    void aYamlStyleListWorksToo() {
        context.withPropertyValues(
                        "mapreduce.coordinator.url[0]=http://a:8080/", "mapreduce.coordinator.url[1]= http://b:8080")
                .run(ctx -> assertThat(ctx.getBean(CoordinatorProperties.class).urls())
                        .containsExactly(URI.create("http://a:8080"), URI.create("http://b:8080")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiterString = "|",
            value = {
                "coordinator:8080 | it must start with http:// or https://",
                "ftp://coordinator:8080 | it must start with http:// or https://",
                "http://coordinator:80 80 | Illegal character in authority",
                "http://coordinator:8080?x=1 | a base URL has no query or fragment",
                "http://coordinator:8080#top | a base URL has no query or fragment",
                "http://:8080 | it has no valid host name",
                "http://coordinator_1:8080 | it has no valid host name"
            })
    void anInvalidUrlInTheListFailsStartupNamingIt(String invalid, String reason) {
        context.withPropertyValues("mapreduce.coordinator.url=http://fine:8080, " + invalid)
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageStartingWith("mapreduce.coordinator.url (COORDINATOR_URL) lists '" + invalid
                                    + "', which is not a coordinator base URL: ")
                            .hasMessageContaining(reason);
                });
    }

    @Test
    void aListOfBlanksFailsStartup() {
        context.withPropertyValues("mapreduce.coordinator.url= , ,").run(ctx -> assertThat(ctx.getStartupFailure())
                .rootCause()
                .hasMessage("mapreduce.coordinator.url (COORDINATOR_URL) lists no URL: give the coordinator's base"
                        + " URL, or several separated by commas"));
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CoordinatorProperties(List.of("http://a"), Duration.ZERO, Duration.ofSeconds(1)))
                .withMessage("mapreduce.coordinator.connect-timeout (COORDINATOR_CONNECT_TIMEOUT) must be positive, not"
                        + " PT0S");
    }

    @Test
    void theConnectTimeoutIsCutBelowTheReadTimeoutWhichCountsConnectingToo() {
        assertThat(new CoordinatorProperties(List.of("http://a"), Duration.ofSeconds(2), Duration.ofSeconds(30))
                        .effectiveConnectTimeout())
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(new CoordinatorProperties(List.of("http://a"), Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .effectiveConnectTimeout())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(new CoordinatorProperties(List.of("http://a"), Duration.ofSeconds(2), Duration.ofSeconds(2))
                        .effectiveConnectTimeout())
                .isEqualTo(Duration.ofSeconds(1));
    }
}
