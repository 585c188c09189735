package dev.mapreduce.gateway.format;

import dev.mapreduce.engine.format.FormatException;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.protocol.JobRequest.FieldError;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code POST /api/formats/preview}'s body strictly, and compiles its format naming every problem. */
final class PreviewRequestReader {

    /** Most lines one preview reads. */
    static final int MAX_LINES = 1000;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private PreviewRequestReader() {}

    record Request(FormatSpec format, String text) {}

    static Request read(byte[] body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JacksonException e) {
            throw InvalidFormatException.body("the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode() || !tree.isObject()) {
            throw InvalidFormatException.body("the request body must be a JSON object with format and lines");
        }
        List<FieldError> errors = new ArrayList<>();
        for (String name : tree.propertyNames()) {
            if (!name.equals("format") && !name.equals("lines")) {
                errors.add(new FieldError(name, "is not a field of a preview request (format, lines)"));
            }
        }
        FormatSpec spec = null;
        JsonNode format = tree.get("format");
        if (format == null || format.isNull()) {
            errors.add(new FieldError("format", "is required: a format name or a format object"));
        } else {
            spec = FormatField.read(format, errors);
        }
        String text = null;
        JsonNode lines = tree.get("lines");
        if (lines == null || lines.isNull()) {
            errors.add(new FieldError("lines", "is required: text, or an array of lines"));
        } else if (lines.isString()) {
            text = lines.stringValue();
        } else if (lines.isArray()) {
            StringBuilder s = new StringBuilder();
            int i = 0;
            for (JsonNode line : lines) {
                if (!line.isString()) {
                    errors.add(new FieldError("lines[" + i + "]", "must be a string"));
                } else {
                    s.append(line.stringValue()).append('\n');
                }
                i++;
            }
            text = s.toString();
        } else {
            errors.add(new FieldError("lines", "must be text or an array of lines"));
        }
        if (text != null && text.lines().count() > MAX_LINES) {
            errors.add(new FieldError("lines", "at most " + MAX_LINES + " lines"));
        }
        if (!errors.isEmpty()) {
            throw InvalidFormatException.fields(errors);
        }
        return new Request(spec, text);
    }

    /** The format of the request; every problem of its spec at once, each as {@code format.<member>}. */
    static LogFormat compile(FormatSpec spec) {
        try {
            return Formats.compile(spec);
        } catch (FormatException e) {
            throw InvalidFormatException.fields(e.problems().stream()
                    .map(p -> new FieldError(
                            p.field() == null || p.field().isEmpty() ? "format" : "format." + p.field(), p.message()))
                    .toList());
        }
    }
}
