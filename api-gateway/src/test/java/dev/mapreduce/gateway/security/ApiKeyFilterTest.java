package dev.mapreduce.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

class ApiKeyFilterTest {

    static final String KEY = "acme-key-0123456789";

    @Test
    void withoutKeysEveryCallerIsTheAnonymousAdminLimitedByItsAddress() throws Exception {
        ApiKeyFilter filter = filter("", 2);

        assertThat(call(filter, "10.0.0.1", null).caller).isEqualTo(Caller.ANONYMOUS);
        assertThat(call(filter, "10.0.0.1", "whatever").status).isEqualTo(200);
        Outcome third = call(filter, "10.0.0.1", null);
        Outcome otherAddress = call(filter, "10.0.0.2", null);

        assertThat(third.status).isEqualTo(429);
        assertThat(third.caller).isNull();
        assertThat(Integer.parseInt(third.response.getHeader("Retry-After"))).isBetween(1, 60);
        assertThat(third.response.getContentType()).isEqualTo("application/problem+json");
        assertThat(third.response.getContentAsString()).contains("\"status\":429", "\"instance\":\"/api/jobs\"");
        assertThat(otherAddress.status).isEqualTo(200);
    }

    @Test
    void aKnownKeyCountsAgainstItsTenantWhateverTheAddress() throws Exception {
        ApiKeyFilter filter = filter("acme:" + KEY, 2);

        assertThat(call(filter, "10.0.0.1", KEY).caller).isEqualTo(new Caller("acme", false));
        assertThat(call(filter, "10.0.0.2", KEY).status).isEqualTo(200);
        assertThat(call(filter, "10.0.0.3", KEY).status).isEqualTo(429);
        assertThat(call(filter, "10.0.0.3", "not-a-key").status).isEqualTo(401);
    }

    @Test
    void unknownKeysAreAnswered401UntilTheirAddressIsOverTheLimit() throws Exception {
        ApiKeyFilter filter = filter("acme:" + KEY, 2);

        Outcome missing = call(filter, "10.0.0.1", null);
        Outcome wrong = call(filter, "10.0.0.1", "not-a-key");
        Outcome guessing = call(filter, "10.0.0.1", "another-guess");

        assertThat(missing.status).isEqualTo(401);
        assertThat(missing.response.getHeader("WWW-Authenticate")).isEqualTo("ApiKey");
        assertThat(missing.response.getContentAsString()).contains("needs an API key in the X-API-Key header");
        assertThat(wrong.status).isEqualTo(401);
        assertThat(wrong.response.getContentAsString())
                .contains("names no known API key")
                .doesNotContain("not-a-key");
        assertThat(guessing.status).isEqualTo(429);
        assertThat(call(filter, "10.0.0.1", KEY).status).isEqualTo(200);
    }

    private static ApiKeyFilter filter(String keys, int limit) {
        return new ApiKeyFilter(
                ApiKeys.parse(keys),
                new RateLimits(limit, Duration.ofMinutes(1), 100),
                new ProblemResponses(JsonMapper.builder().build()));
    }

    private record Outcome(int status, Caller caller, MockHttpServletResponse response) {}

    private static Outcome call(ApiKeyFilter filter, String address, String key) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/jobs");
        request.setRemoteAddr(address);
        if (key != null) {
            request.addHeader("X-API-Key", key);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        HttpServletRequest passed = (HttpServletRequest) chain.getRequest();
        return new Outcome(response.getStatus(), passed == null ? null : Caller.of(passed), response);
    }
}
