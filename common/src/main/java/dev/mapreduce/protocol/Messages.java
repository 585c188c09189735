package dev.mapreduce.protocol;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** JSON encoding of the messages that cross Kafka. */
public final class Messages {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Messages() {}

    public static byte[] encode(Object message) {
        return JSON.writeValueAsBytes(message);
    }

    /**
     * Decodes a message.
     *
     * @throws IllegalArgumentException if the bytes are not a {@code type}
     */
    public static <T> T decode(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
