package dev.mapreduce.gateway.format;

import dev.mapreduce.engine.format.FieldInfo;
import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.format.Preview;
import dev.mapreduce.engine.format.Timestamps;
import dev.mapreduce.engine.task.MalformedRecords;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The formats logs can be read in, and what a format makes of some lines before a job runs on them.
 * Both are answered by the gateway alone, from the engine's own code: no coordinator call.
 */
@RestController
@Tag(name = "Formats", description = "the formats logs can be read in, and what one makes of some lines")
class FormatController {

    /** The catalogue: fixed at build time, so built once. */
    record Catalogue(
            List<Formats.FormatInfo> formats,
            List<String> timestampPatterns,
            double defaultMaxMalformedRatio,
            int maxSamples) {}

    static final Catalogue CATALOGUE = new Catalogue(
            Formats.catalogue(), Timestamps.NAMED, MalformedRecords.DEFAULT_MAX_RATIO, MalformedRecords.MAX_SAMPLES);

    /** The preview of some lines: the format's fields, then each record's fields or why it is malformed. */
    record PreviewView(String format, List<FieldInfo> fields, List<Preview.Entry> records, int parsed, int malformed) {}

    /** The body of a preview, as {@link PreviewRequestReader} reads it: for the OpenAPI description. */
    @Schema(
            name = "PreviewRequest",
            description = "Some lines and the format to read them in",
            additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record PreviewRequest(
            @Schema(
                            requiredMode = Schema.RequiredMode.REQUIRED,
                            description = "a format or preset name (GET /api/formats), or a format object",
                            oneOf = {String.class, FormatSpec.class})
                    Object format,
            @Schema(
                            requiredMode = Schema.RequiredMode.REQUIRED,
                            description =
                                    "text, or an array of lines; at most " + PreviewRequestReader.MAX_LINES + " lines",
                            oneOf = {String.class, String[].class})
                    Object lines) {}

    static final String PREVIEW_EXAMPLE =
            """
            {"format":"apache_combined","lines":"203.0.113.9 - - [10/Oct/2026:13:55:36 -0700] \\"GET /cart HTTP/1.1\\"\
             200 2326 \\"-\\" \\"curl/8\\"\\nnot one"}""";

    static final String PREVIEW_OBJECT_EXAMPLE =
            """
            {"format":{"type":"json","fields":{"level":"log.level"}},\
            "lines":["{\\"log\\":{\\"level\\":\\"WARN\\"},\\"message\\":\\"disk almost full\\"}"]}""";

    @GetMapping("/api/formats")
    @Operation(
            summary = "The formats and presets",
            description = "Each format and preset with its fields (name, type, description), whether it takes any"
                    + " field (json, logfmt, csv with a header), its event-time field, whether it joins multi-line"
                    + " events, the spec members it takes, an example spec and lines that example reads.",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "the catalogue",
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = Catalogue.class))))
    Catalogue formats() {
        return CATALOGUE;
    }

    @PostMapping("/api/formats/preview")
    @Operation(
            summary = "What a format makes of some lines",
            description =
                    "Body: {\"format\": <a format name, or a format object as a job carries it>, \"lines\": <text,"
                            + " or an array of lines>} (at most " + PreviewRequestReader.MAX_LINES
                            + " lines). Each record"
                            + " gets its fields (null: absent) and event time, or the reason it is malformed; lines are read"
                            + " as a job reads them (header line, multi-line events).")
    @ApiResponse(
            responseCode = "200",
            description = "the preview",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PreviewView.class)))
    @ApiResponse(
            responseCode = "400",
            description = "not a preview request, or a format that does not compile: every problem at once in"
                    + " errors [{field, message}] (unknown format, bad pattern, unknown grok pattern, a field mapped to"
                    + " no field, ...)")
    PreviewView preview(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = PreviewRequest.class),
                                            examples = {
                                                @ExampleObject(
                                                        name = "a preset",
                                                        summary = "an access log line, and one that is not",
                                                        value = PREVIEW_EXAMPLE),
                                                @ExampleObject(
                                                        name = "a format object",
                                                        summary = "JSON lines, with a field renamed",
                                                        value = PREVIEW_OBJECT_EXAMPLE)
                                            }))
                    @RequestBody
                    byte[] body) {
        PreviewRequestReader.Request request = PreviewRequestReader.read(body);
        LogFormat format = PreviewRequestReader.compile(request.format());
        Preview.Result r = Preview.of(format, request.text());
        return new PreviewView(r.format(), r.fields(), r.records(), r.parsed(), r.malformed());
    }
}
