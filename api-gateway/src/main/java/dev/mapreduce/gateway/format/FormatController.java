package dev.mapreduce.gateway.format;

import dev.mapreduce.engine.format.FieldInfo;
import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.format.Preview;
import dev.mapreduce.engine.format.Timestamps;
import dev.mapreduce.engine.task.MalformedRecords;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

    @GetMapping("/api/formats")
    @Operation(
            summary = "The formats and presets",
            description = "Each format and preset with its fields (name, type, description), whether it takes any"
                    + " field (json, logfmt, csv with a header), its event-time field, whether it joins multi-line"
                    + " events, the spec members it takes, an example spec and lines that example reads.")
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
    @ApiResponse(responseCode = "200", description = "the preview")
    @ApiResponse(
            responseCode = "400",
            description = "not a preview request, or a format that does not compile: every problem at once in"
                    + " errors [{field, message}] (unknown format, bad pattern, unknown grok pattern, a field mapped to"
                    + " no field, ...)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    PreviewView preview(@RequestBody byte[] body) {
        PreviewRequestReader.Request request = PreviewRequestReader.read(body);
        LogFormat format = PreviewRequestReader.compile(request.format());
        Preview.Result r = Preview.of(format, request.text());
        return new PreviewView(r.format(), r.fields(), r.records(), r.parsed(), r.malformed());
    }
}
