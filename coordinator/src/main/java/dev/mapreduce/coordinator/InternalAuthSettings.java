package dev.mapreduce.coordinator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers of the internal API ({@code /internal/jobs}, {@code /internal/workers}) prove they are
 * the gateway: a shared secret sent as {@code Authorization: Bearer <token>}.
 *
 * <p>The coordinator does not start without a token unless authentication is explicitly off: an
 * internal API that anyone on the network may call lists, cancels, deletes and submits jobs for any
 * tenant, since it trusts the {@code X-MapReduce-Owner} header.
 *
 * @param auth {@code on} (the default) or {@code off} ({@code MAPREDUCE_INTERNAL_AUTH}); off is for
 *     tests and single-user machines only: every internal call is then accepted as the gateway's
 * @param token the shared secret the gateway sends ({@code MAPREDUCE_INTERNAL_TOKEN}), at least
 *     {@value #MIN_TOKEN_LENGTH} characters; required when auth is on
 */
@ConfigurationProperties("mapreduce.internal")
record InternalAuthSettings(@DefaultValue("on") String auth, String token) {

    static final int MIN_TOKEN_LENGTH = 16;

    InternalAuthSettings {
        String mode = auth == null ? "on" : auth.strip().toLowerCase(Locale.ROOT);
        if (!mode.equals("on") && !mode.equals("off")) {
            throw new IllegalArgumentException(
                    "mapreduce.internal.auth (MAPREDUCE_INTERNAL_AUTH) must be on or off, not '" + auth + "'");
        }
        auth = mode;
        token = token == null || token.isBlank() ? null : token.strip();
        if (mode.equals("on") && token == null) {
            throw new IllegalArgumentException("the internal API needs a shared secret: set MAPREDUCE_INTERNAL_TOKEN"
                    + " (the same value for the gateway), or MAPREDUCE_INTERNAL_AUTH=off for tests only");
        }
        if (token != null && token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException("MAPREDUCE_INTERNAL_TOKEN must have at least " + MIN_TOKEN_LENGTH
                    + " characters, it has " + token.length());
        }
    }

    boolean enabled() {
        return auth.equals("on");
    }

    /**
     * Whether {@code presented} is the token, in time that depends on neither its content nor its
     * length: both are hashed first, and the digests compared with {@link MessageDigest#isEqual}.
     */
    boolean matches(String presented) {
        if (presented == null || token == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented), sha256(token));
    }

    @Override
    public String toString() {
        return "InternalAuthSettings[auth=" + auth + ", token=" + (token == null ? "none" : "(set)") + "]";
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
