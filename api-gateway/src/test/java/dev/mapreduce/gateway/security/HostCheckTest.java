package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

class HostCheckTest {

    @Test
    void theHostNameIsTakenWithoutPortOrTrailingDot() {
        assertThat(HostCheckFilter.hostName("LocalHost:8090")).isEqualTo("localhost");
        assertThat(HostCheckFilter.hostName("[::1]:8090")).isEqualTo("[::1]");
        assertThat(HostCheckFilter.hostName("[::1]")).isEqualTo("[::1]");
        assertThat(HostCheckFilter.hostName("localhost.")).isEqualTo("localhost");
        assertThat(HostCheckFilter.hostName("127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void configuredHostsAddToTheLoopbackNames() {
        assertThat(HostCheckFilter.allowedHosts(" mr.example.org:443 , ,Gateway"))
                .containsExactly("localhost", "127.0.0.1", "[::1]", "mr.example.org", "gateway");
        assertThat(HostCheckFilter.allowedHosts("")).containsExactly("localhost", "127.0.0.1", "[::1]");
    }

    @Test
    void aRefusedHostIsToldTheAllowedNamesInTheSameOrderInEveryJvm() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/jobs");
        request.addHeader(HttpHeaders.HOST, "rebound.example:8090");
        MockHttpServletResponse response = new MockHttpServletResponse();

        new HostCheckFilter(
                        HostCheckFilter.allowedHosts("mr.example.org, gateway"),
                        new ProblemResponses(JsonMapper.builder().build()))
                .doFilter(request, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString())
                .contains("this gateway answers only requests for localhost, 127.0.0.1, [::1], mr.example.org, gateway"
                        + " (set MAPREDUCE_ALLOWED_HOSTS");
    }

    @Test
    void onlyLoopbackBindAddressesCount() {
        assertThat(SecurityConfiguration.isLoopback("127.0.0.1")).isTrue();
        assertThat(SecurityConfiguration.isLoopback("127.0.0.2")).isTrue();
        assertThat(SecurityConfiguration.isLoopback("::1")).isTrue();
        assertThat(SecurityConfiguration.isLoopback("[::1]")).isTrue();
        assertThat(SecurityConfiguration.isLoopback("localhost")).isTrue();
        assertThat(SecurityConfiguration.isLoopback("0.0.0.0")).isFalse();
        assertThat(SecurityConfiguration.isLoopback("::")).isFalse();
        assertThat(SecurityConfiguration.isLoopback("")).isFalse();
        assertThat(SecurityConfiguration.isLoopback("10.0.0.5")).isFalse();
        assertThat(SecurityConfiguration.isLoopback("gateway.internal")).isFalse();
    }
}
