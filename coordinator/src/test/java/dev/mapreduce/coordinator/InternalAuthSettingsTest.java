package dev.mapreduce.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class InternalAuthSettingsTest {

    static final String TOKEN = "a-token-of-24-characters";

    @Test
    void withoutATokenTheCoordinatorDoesNotStart() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InternalAuthSettings("on", null))
                .withMessageContaining("MAPREDUCE_INTERNAL_TOKEN");
        assertThatIllegalArgumentException().isThrownBy(() -> new InternalAuthSettings(null, "  "));
    }

    @Test
    void aShortTokenIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InternalAuthSettings("on", "short"))
                .withMessageContaining("at least 16");
    }

    @Test
    void authMayBeTurnedOffExplicitlyOnly() {
        assertThat(new InternalAuthSettings("off", null).enabled()).isFalse();
        assertThat(new InternalAuthSettings(" OFF ", "").enabled()).isFalse();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new InternalAuthSettings("no", null))
                .withMessageContaining("on or off");
    }

    @Test
    void onlyTheExactTokenMatches() {
        InternalAuthSettings settings = new InternalAuthSettings("on", TOKEN);
        assertThat(settings.matches(TOKEN)).isTrue();
        assertThat(settings.matches(TOKEN + "x")).isFalse();
        assertThat(settings.matches(TOKEN.substring(1))).isFalse();
        assertThat(settings.matches(TOKEN.toUpperCase())).isFalse();
        assertThat(settings.matches("")).isFalse();
        assertThat(settings.matches(null)).isFalse();
        assertThat(new InternalAuthSettings("off", null).matches("anything")).isFalse();
    }

    @Test
    void theTokenIsNeverPrinted() {
        assertThat(new InternalAuthSettings("on", TOKEN).toString()).doesNotContain(TOKEN);
    }
}
