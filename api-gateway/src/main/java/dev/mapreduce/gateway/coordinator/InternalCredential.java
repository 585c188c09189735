package dev.mapreduce.gateway.coordinator;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service credential the gateway presents to the coordinators.
 *
 * @param token the shared secret, sent on every call as {@code Authorization: Bearer <token>}
 *     ({@code MAPREDUCE_INTERNAL_TOKEN}, the coordinators' value); empty: none is sent, which only a
 *     coordinator run with {@code MAPREDUCE_INTERNAL_AUTH=off} accepts
 */
@ConfigurationProperties("mapreduce.internal")
public record InternalCredential(String token) {

    public InternalCredential {
        token = token == null || token.isBlank() ? null : token.strip();
    }

    /** No credential. */
    public static InternalCredential none() {
        return new InternalCredential(null);
    }

    @Override
    public String toString() {
        return "InternalCredential[token=" + (token == null ? "none" : "(set)") + "]";
    }
}
