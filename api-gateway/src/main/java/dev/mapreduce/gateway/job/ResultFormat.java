package dev.mapreduce.gateway.job;

import dev.mapreduce.engine.sql.ResultColumn;
import dev.mapreduce.protocol.QueryResults;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.util.InvalidMimeTypeException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** How results are written: a JSON document or RFC 4180 CSV, chosen by the Accept header. */
enum ResultFormat {
    JSON(MediaType.APPLICATION_JSON),
    CSV(new MediaType("text", "csv", StandardCharsets.UTF_8));

    private final MediaType mediaType;

    ResultFormat(MediaType mediaType) {
        this.mediaType = mediaType;
    }

    MediaType mediaType() {
        return mediaType;
    }

    /**
     * The format the Accept header prefers: the highest quality, the first listed on a tie; JSON
     * when there is no header or it accepts anything. Empty when it accepts neither.
     *
     * @throws IllegalArgumentException if the header is not a list of media types
     */
    static Optional<ResultFormat> negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return Optional.of(JSON);
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (InvalidMimeTypeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        ResultFormat best = null;
        double bestQuality = 0;
        for (MediaType type : types) {
            ResultFormat format = type.isWildcardType() || "application".equals(type.getType())
                    ? (type.isCompatibleWith(JSON.mediaType) ? JSON : null)
                    : (type.isCompatibleWith(CSV.mediaType) ? CSV : null);
            if (format != null && type.getQualityValue() > bestQuality) {
                best = format;
                bestQuality = type.getQualityValue();
            }
        }
        return Optional.ofNullable(best);
    }

    /** Writes the rows of one answer. */
    interface Rows {
        void row(String key, BigDecimal value) throws IOException;

        /** Ends the document and flushes it; the stream stays open. */
        void finish() throws IOException;
    }

    Rows open(OutputStream out, JsonMapper json, UUID jobId, ResultStore.Order order, long offset) throws IOException {
        return switch (this) {
            case JSON -> jsonRows(json.createGenerator(out), jobId, order, offset);
            case CSV -> csvRows(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16));
        };
    }

    /** {@code {"jobId":…,"order":…,"offset":…,"results":[{"key":…,"value":…},…]}}; values as exact numbers. */
    private static Rows jsonRows(JsonGenerator g, UUID jobId, ResultStore.Order order, long offset) {
        g.writeStartObject();
        g.writeStringProperty("jobId", jobId.toString());
        g.writeStringProperty("order", order.parameter());
        g.writeNumberProperty("offset", offset);
        g.writeName("results");
        g.writeStartArray();
        return new Rows() {
            @Override
            public void row(String key, BigDecimal value) {
                g.writeStartObject();
                g.writeStringProperty("key", key);
                g.writeName("value");
                g.writeNumber(value.toPlainString());
                g.writeEndObject();
            }

            @Override
            public void finish() {
                g.writeEndArray();
                g.writeEndObject();
                g.flush();
            }
        };
    }

    /** Writes a query job's rows, each given as its {@code result_row} JSON object. */
    interface QueryRows {
        void row(String json) throws IOException;

        /** Ends the document and flushes it; the stream stays open. */
        void finish() throws IOException;
    }

    /**
     * A query job's rows with its named columns: JSON {@code {"jobId":…,"columns":[{"name":…,"type":…},…],
     * "offset":…,"results":[{"<name>":<value>,…},…]}}, or CSV with the column names as header.
     */
    QueryRows openQuery(OutputStream out, JsonMapper json, UUID jobId, List<ResultColumn> columns, long offset)
            throws IOException {
        List<String> keys = QueryResults.keys(columns);
        return switch (this) {
            case JSON -> jsonQueryRows(json, json.createGenerator(out), jobId, columns, keys, offset);
            case CSV ->
                csvQueryRows(
                        json, new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16), keys);
        };
    }

    private static QueryRows jsonQueryRows(
            JsonMapper json, JsonGenerator g, UUID jobId, List<ResultColumn> columns, List<String> keys, long offset) {
        g.writeStartObject();
        g.writeStringProperty("jobId", jobId.toString());
        g.writeName("columns");
        g.writeStartArray();
        for (int i = 0; i < columns.size(); i++) {
            g.writeStartObject();
            g.writeStringProperty("name", keys.get(i));
            g.writeStringProperty("type", columns.get(i).type().name());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberProperty("offset", offset);
        g.writeName("results");
        g.writeStartArray();
        return new QueryRows() {
            @Override
            public void row(String text) {
                JsonNode row = json.readTree(text);
                g.writeStartObject();
                for (String key : keys) {
                    g.writeName(key);
                    JsonNode value = row.get(key);
                    if (value == null || value.isNull()) {
                        g.writeNull();
                    } else if (value.isNumber()) {
                        g.writeNumber(value.decimalValue().toString());
                    } else {
                        g.writeTree(value);
                    }
                }
                g.writeEndObject();
            }

            @Override
            public void finish() {
                g.writeEndArray();
                g.writeEndObject();
                g.flush();
            }
        };
    }

    /** The column names as header, then a CRLF-ended line per row: NULL is an empty cell, text as {@link #csvField}. */
    private static QueryRows csvQueryRows(JsonMapper json, Writer w, List<String> keys) throws IOException {
        w.write(String.join(",", keys.stream().map(ResultFormat::csvField).toList()));
        w.write("\r\n");
        return new QueryRows() {
            @Override
            public void row(String text) throws IOException {
                JsonNode row = json.readTree(text);
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    JsonNode value = row.get(keys.get(i));
                    if (value == null || value.isNull()) {
                        continue;
                    }
                    if (value.isNumber()) {
                        w.write(value.decimalValue().toString());
                    } else if (value.isBoolean()) {
                        w.write(Boolean.toString(value.booleanValue()));
                    } else {
                        w.write(csvField(value.stringValue()));
                    }
                }
                w.write("\r\n");
            }

            @Override
            public void finish() throws IOException {
                w.flush();
            }
        };
    }

    /** First characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
    private static final String FORMULA_START = "=+-@\t\r";

    /** A {@code key,value} header, then one CRLF-ended line per row; keys quoted where RFC 4180 needs it. */
    private static Rows csvRows(Writer w) throws IOException {
        w.write("key,value\r\n");
        return new Rows() {
            @Override
            public void row(String key, BigDecimal value) throws IOException {
                w.write(csvField(key));
                w.write(',');
                w.write(value.toPlainString());
                w.write("\r\n");
            }

            @Override
            public void finish() throws IOException {
                w.flush();
            }
        };
    }

    /**
     * A text cell: neutralised if a spreadsheet would take it for a formula, then quoted where RFC
     * 4180 needs it. Keys come from the logs, so anyone who can write a log line chooses them: a
     * cell starting with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets
     * a leading {@code '}, as OWASP recommends against CSV injection. The value column is a number
     * and is never touched, so -5 stays -5.
     */
    static String csvField(String text) {
        if (!text.isEmpty() && FORMULA_START.indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
