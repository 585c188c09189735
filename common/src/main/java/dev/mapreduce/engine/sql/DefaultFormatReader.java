package dev.mapreduce.engine.sql;

import dev.mapreduce.engine.record.LogField;
import dev.mapreduce.engine.record.LogRecord;
import dev.mapreduce.engine.record.LogRecordParser;
import java.util.List;
import java.util.Locale;

/** The default format (JSON or text lines with timestamp, level, service, message) for a query. */
public final class DefaultFormatReader implements RecordReader, FieldSource {

    private final LogRecordParser parser = new LogRecordParser();
    private final LogField[] slots;
    private LogRecord record;

    public DefaultFormatReader(List<String> fields) {
        slots = new LogField[fields.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = LogField.valueOf(fields.get(i).toUpperCase(Locale.ROOT));
        }
    }

    @Override
    public FieldSource read(byte[] line, int off, int len) {
        record = parser.parse(line, off, len);
        return record == null ? null : this;
    }

    @Override
    public byte[] array(int slot) {
        return record.array(slots[slot]);
    }

    @Override
    public int offset(int slot) {
        return record.offset(slots[slot]);
    }

    @Override
    public int length(int slot) {
        return record.length(slots[slot]);
    }
}
