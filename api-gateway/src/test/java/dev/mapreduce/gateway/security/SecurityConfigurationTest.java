package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** What the gateway says at startup about its keys: how many, for whom, never the keys. */
@ExtendWith(OutputCaptureExtension.class)
class SecurityConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(GatewaySecurityProperties.class)
    static class Json {
        @Bean
        JsonMapper jsonMapper() {
            return JsonMapper.builder().build();
        }
    }

    final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Json.class, SecurityConfiguration.class);

    @Test
    void withKeysItLogsTheTenantsButNeverAKey(CapturedOutput output) {
        context.withPropertyValues("mapreduce.gateway.api-keys=acme:secret-acme-0123456789,ops:secret-ops:admin")
                .run(ctx -> {
                    assertThat(ctx).hasNotFailed();
                    assertThat(ctx.getBean(GatewaySecurityProperties.class).toString())
                            .doesNotContain("secret");
                });

        assertThat(output)
                .contains("API keys on: 2 key(s) for 2 tenant(s) [acme, ops]")
                .contains("shorter than 16 characters and easy to guess (tenants [ops])")
                .contains("Rate limit: 100 requests per 1s per tenant")
                .doesNotContain("secret");
    }

    @Test
    void withoutKeysEveryCallerIsTheAnonymousAdmin(CapturedOutput output) {
        context.run(ctx -> assertThat(ctx.getBean(ApiKeys.class).enabled()).isFalse());

        assertThat(output).contains("API keys off (MAPREDUCE_API_KEYS is empty)");
    }

    @Test
    void aMalformedEntryStopsTheStartWithoutShowingAKey(CapturedOutput output) {
        context.withPropertyValues("mapreduce.gateway.api-keys=acme:secret-acme-0123456789:root")
                .run(ctx -> {
                    assertThat(ctx).hasFailed();
                    assertThat(ctx.getStartupFailure())
                            .rootCause()
                            .hasMessageContaining("entry 1 is not a valid API key entry")
                            .hasMessageNotContaining("secret");
                    Throwable failure = ctx.getStartupFailure();
                    for (Throwable t = failure; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain("secret");
                    }
                });

        assertThat(output).doesNotContain("secret");
    }
}
