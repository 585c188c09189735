package dev.mapreduce.gateway.format;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.protocol.JobRequest.FieldError;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code format} member of a request (a job, a preview): a format or preset name, or a format
 * description object. Only reads it; compiling it (and naming what is wrong inside it) is {@link
 * dev.mapreduce.engine.format.Formats#compile}'s.
 */
public final class FormatField {

    private static final String MEMBERS =
            "type, pattern, patterns, fields, types, columns, header, delimiter, timestamp, multiline";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private FormatField() {}

    /**
     * The spec {@code node} holds, or null with the reason added to {@code errors} (as {@code format}
     * or {@code format.<member>}); null, without an error, for an absent or null member.
     */
    public static FormatSpec read(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() && !node.isObject()) {
            errors.add(new FieldError("format", "must be a format name or a format object"));
            return null;
        }
        try {
            return JSON.treeToValue(node, FormatSpec.class);
        } catch (UnrecognizedPropertyException e) {
            errors.add(
                    new FieldError("format." + e.getPropertyName(), "is not a member of a format (" + MEMBERS + ")"));
        } catch (JacksonException e) {
            errors.add(new FieldError("format", "is not a format object: " + e.getOriginalMessage()));
        }
        return null;
    }
}
