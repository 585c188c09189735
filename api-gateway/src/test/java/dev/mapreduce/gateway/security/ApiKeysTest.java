package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", " , ,"})
    void nothingConfiguredMeansNoKeys(String text) {
        ApiKeys keys = ApiKeys.parse(text);

        assertThat(keys.enabled()).isFalse();
        assertThat(keys.find("anything")).isEmpty();
    }

    @Test
    void eachKeyNamesItsTenantAndWhetherItIsAnAdmin() {
        ApiKeys keys =
                ApiKeys.parse(" acme:acme-key-0123456789 ,ops:ops-key-0123456789:admin,acme:acme-rotated-key-42");

        assertThat(keys.enabled()).isTrue();
        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.tenants()).containsExactly("acme", "ops");
        assertThat(keys.find("acme-key-0123456789")).contains(new Caller("acme", false));
        assertThat(keys.find("acme-rotated-key-42")).contains(new Caller("acme", false));
        assertThat(keys.find("ops-key-0123456789")).contains(new Caller("ops", true));
        assertThat(keys.shortKeyTenants()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "acme-key-012345678", "acme-key-01234567890", "ACME-KEY-0123456789", " acme-key-0123456789"})
    void anyOtherKeyIsUnknown(String presented) {
        ApiKeys keys = ApiKeys.parse("acme:acme-key-0123456789");

        assertThat(keys.find(presented)).isEmpty();
        assertThat(keys.find(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "acme|entry 1 is not a valid API key entry: it must be tenant:key or tenant:key:admin",
                "acme:s3cret-value:root|entry 1 is not a valid API key entry: it must be tenant:key or tenant:key:admin",
                "ok:key-one-xxxxxxxx,:s3cret-value|entry 2 is not a valid API key entry: the tenant must be",
                "a b:s3cret-value|entry 1 is not a valid API key entry: the tenant must be",
                "acme:|the key of tenant 'acme' is empty or holds a character other than visible ASCII",
                "acme:s3cret value|the key of tenant 'acme' is empty or holds a character other than visible ASCII",
                "acme:s3cret-välue|the key of tenant 'acme' is empty or holds a character other than visible ASCII",
                "acme:s3cret-value,ops:s3cret-value|entry 2 is not a valid API key entry: the key of tenant 'ops' is listed before"
            })
    void aWrongEntryStopsTheGatewayWithAMessageThatNeverShowsAKey(String text, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ApiKeys.parse(text))
                .withMessageStartingWith("mapreduce.gateway.api-keys (MAPREDUCE_API_KEYS): ")
                .withMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void shortKeysAreAcceptedButNamedByTenant() {
        ApiKeys keys = ApiKeys.parse("acme:short,ops:a-long-enough-key-0123");

        assertThat(keys.find("short")).contains(new Caller("acme", false));
        assertThat(keys.shortKeyTenants()).containsExactly("acme");
    }
}
