package dev.mapreduce.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class RedisErrorsTest {

    @Test
    void refusedCredentialsGiveRedisOwnWordsFromTheInnermostCauseAndTheSettingsToCheck() {
        Exception refused = new IllegalStateException(
                "Unable to connect to 127.0.0.1:6379",
                new RuntimeException(
                        "io.lettuce.core.RedisConnectionException: handshake failed",
                        new RuntimeException("WRONGPASS invalid username-password pair or user is disabled.")));

        assertThat(RedisErrors.reason(refused))
                .isEqualTo("WRONGPASS invalid username-password pair or user is disabled."
                        + " (check REDIS_USERNAME and REDIS_PASSWORD)");
    }

    @Test
    void aMissingPasswordOrAMissingPermissionGetsTheHintToo() {
        assertThat(RedisErrors.reason(
                        new RuntimeException("wrapped", new RuntimeException("NOAUTH Authentication required."))))
                .isEqualTo("NOAUTH Authentication required. (check REDIS_USERNAME and REDIS_PASSWORD)");
        assertThat(RedisErrors.reason(
                        new RuntimeException("NOPERM this user has no permissions to run the 'ping' command")))
                .endsWith("(check REDIS_USERNAME and REDIS_PASSWORD)");
    }

    @Test
    void otherFailuresKeepTheOutermostMessageWithoutTheHint() {
        Exception refused = new IllegalStateException(
                "Unable to connect to 127.0.0.1:6390", new ConnectException("Connection refused"));

        assertThat(RedisErrors.reason(refused)).isEqualTo("Unable to connect to 127.0.0.1:6390");
    }

    @Test
    void aCauseChainThatLoopsBackEnds() {
        RuntimeException outer = new RuntimeException("outer");
        RuntimeException inner = new RuntimeException("NOAUTH Authentication required.", outer);
        outer.initCause(inner);

        assertThat(RedisErrors.reason(outer)).startsWith("NOAUTH");
    }
}
