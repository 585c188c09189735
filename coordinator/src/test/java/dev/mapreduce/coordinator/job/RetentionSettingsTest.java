package dev.mapreduce.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetentionSettingsTest {

    private static RetentionSettings settings(Duration finishedJobs, String tenants) {
        return new RetentionSettings(finishedJobs, tenants, Duration.ofMinutes(10), 100);
    }

    @Test
    void tenantsHaveADurationOrOff() {
        var s = settings(null, " acme=7d,globex = off ,initech=12h");
        assertThat(s.tenantRetentions())
                .containsExactly(
                        Map.entry("acme", Optional.of(Duration.ofDays(7))),
                        Map.entry("globex", Optional.empty()),
                        Map.entry("initech", Optional.of(Duration.ofHours(12))));
        assertThat(s.enabled()).isTrue();
    }

    @Test
    void offUnlessARetentionIsSet() {
        assertThat(settings(null, "").enabled()).isFalse();
        assertThat(settings(null, "globex=off").enabled()).isFalse();
        assertThat(settings(Duration.ofDays(30), "").enabled()).isTrue();
    }

    @Test
    void aBadSettingStopsTheStartNamingIt() {
        assertThatThrownBy(() -> settings(null, "acme=7x"))
                .hasMessage("mapreduce.retention.tenants: '7x' of tenant acme is not a duration (e.g. 7d, 12h) or off");
        assertThatThrownBy(() -> settings(null, "acme"))
                .hasMessage("mapreduce.retention.tenants: 'acme' is not tenant=duration (e.g. acme=7d) or tenant=off");
        assertThatThrownBy(() -> settings(null, "acme=1d,acme=2d"))
                .hasMessage("mapreduce.retention.tenants: tenant acme is named twice");
        assertThatThrownBy(() -> settings(null, "acme=0s"))
                .hasMessage("mapreduce.retention.tenants: the retention of tenant acme must be positive");
        assertThatThrownBy(() -> settings(Duration.ZERO, ""))
                .hasMessageStartingWith("mapreduce.retention.finished-jobs must be positive");
        assertThatThrownBy(() -> new RetentionSettings(null, "", Duration.ofMinutes(1), 0))
                .hasMessageContaining("batch at least 1");
    }
}
