package dev.mapreduce.engine.sql;

import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.input.EventStart;
import dev.mapreduce.engine.record.Record;
import java.util.List;

/** Reads a query's fields from lines of a log format: the format's parser, made for those fields only. */
public final class FormatReader implements RecordReader, FieldSource {

    private final LogFormat format;
    private final RecordParser parser;
    private Record record;

    public FormatReader(LogFormat format, List<String> fields) {
        this.format = format;
        this.parser = format.newParser(fields);
    }

    /** The reader of {@code query}'s fields from its format. */
    public static FormatReader of(SqlQuery query) {
        return new FormatReader(query.schema().format(), query.fields());
    }

    @Override
    public FieldSource read(byte[] line, int off, int len) {
        record = parser.parse(line, off, len);
        return record == null ? null : this;
    }

    @Override
    public EventStart eventStart() {
        return format.eventStart().orElse(null);
    }

    @Override
    public boolean hasHeader() {
        return format.hasHeader();
    }

    @Override
    public void header(byte[] line, int off, int len) {
        parser.header(line, off, len);
    }

    /** Why the last line did not parse. */
    public String malformedReason() {
        return parser.malformedReason();
    }

    @Override
    public byte[] array(int slot) {
        return record.array(slot);
    }

    @Override
    public int offset(int slot) {
        return record.offset(slot);
    }

    @Override
    public int length(int slot) {
        return record.length(slot);
    }
}
