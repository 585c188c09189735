package dev.mapreduce.cli;

import dev.mapreduce.engine.format.FormatSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code --format} option of {@code mr local} and {@code mr ingest}: a format or preset name
 * ({@code apache_combined}), a format description in JSON ({@code {"type":"json",...}}), or
 * {@code @file.json} holding one; {@code --field-map} renames add to its {@code fields}.
 */
final class FormatOption {

    private FormatOption() {}

    /**
     * The spec {@code value} describes, with {@code fieldMap} added to its renames.
     *
     * @throws IllegalArgumentException if it is not JSON of a format description or the file is missing
     */
    static FormatSpec parse(String value, Map<String, String> fieldMap) throws IOException {
        FormatSpec spec;
        if (value == null || value.isBlank()) {
            spec = FormatSpec.DEFAULT;
        } else if (value.startsWith("@")) {
            Path file = Path.of(value.substring(1));
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            spec = read(Files.readString(file), "--format " + value);
        } else if (value.strip().startsWith("{")) {
            spec = read(value, "--format");
        } else {
            spec = FormatSpec.of(value.strip());
        }
        if (fieldMap != null && !fieldMap.isEmpty()) {
            Map<String, String> fields = new LinkedHashMap<>();
            if (spec.fields() != null) {
                fields.putAll(spec.fields());
            }
            fields.putAll(fieldMap);
            spec = spec.withFields(fields);
        }
        return spec;
    }

    private static FormatSpec read(String json, String where) {
        try {
            return Json.MAPPER.readValue(json, FormatSpec.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(where + " is not a format description: " + e.getOriginalMessage());
        }
    }

    /** Made on the first format given as JSON: building a mapper took 0.06 s of every run. */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
