package dev.mapreduce.engine.format.text;

import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.format.Slots;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;
import tools.jackson.dataformat.csv.CsvSchema;

/**
 * csv and tsv, one record per line, read by Jackson's CSV module (RFC 4180: values in double quotes
 * may hold the delimiter and doubled quotes). Columns are named up front or by the header line of
 * each file. An empty unquoted value is absent (NULL), a quoted empty one ({@code ""}) is an empty
 * string. A line with another number of values than there are columns is malformed, as is a
 * quoted value whose closing quote is missing (a quoted value may not span lines).
 */
final class CsvParser implements RecordParser {

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .enable(CsvReadFeature.EMPTY_UNQUOTED_STRING_AS_NULL)
            .build();

    private final ObjectReader reader;
    private final Slots slots;
    private final List<String> wanted;
    private final Record record;
    /** For each distinct wanted field, its column (-1: not a column of this file). */
    private int[] columnOf;

    private int[] slotOf;
    private int columns;
    private String headerProblem;

    private String reason;

    /** @param columns the column names, or null to take them from each file's header */
    CsvParser(char delimiter, List<String> columns, List<String> fields) {
        reader = MAPPER.readerFor(String[].class)
                .with(CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"'));
        slots = new Slots(fields);
        wanted = List.copyOf(slots.distinct().keySet());
        record = slots.newRecord();
        if (columns != null) {
            bind(columns);
        } else {
            headerProblem = "no header line was read for this file";
        }
    }

    private void bind(List<String> names) {
        columns = names.size();
        columnOf = new int[wanted.size()];
        slotOf = new int[wanted.size()];
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < wanted.size(); k++) {
            columnOf[k] = names.indexOf(wanted.get(k));
            slotOf[k] = slots.slotOf(wanted.get(k));
            if (columnOf[k] < 0) {
                missing.add(wanted.get(k));
            }
        }
        headerProblem = missing.isEmpty()
                ? null
                : "the header has no column " + String.join(", ", missing) + " (its columns: "
                        + String.join(", ", names) + ")";
    }

    /** The column names of a header line (empty when it is not CSV). */
    static List<String> columns(char delimiter, String line) {
        CsvParser p = new CsvParser(delimiter, List.of(), List.of());
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        String[] names = p.values(b, 0, b.length);
        List<String> list = new ArrayList<>();
        if (names != null) {
            for (String n : names) {
                list.add(n == null ? "" : n.strip());
            }
        }
        return list;
    }

    @Override
    public void header(byte[] line, int off, int len) {
        String[] names = values(line, off, len);
        if (names == null) {
            headerProblem = "the header line is not CSV: " + reason;
            return;
        }
        List<String> list = new ArrayList<>();
        for (String n : names) {
            list.add(n == null ? "" : n.strip());
        }
        bind(list);
    }

    @Override
    public Record parse(byte[] b, int off, int len) {
        Record r = record;
        r.reset();
        if (len == 0) {
            return fail("empty line");
        }
        if (headerProblem != null) {
            return fail(headerProblem);
        }
        if (!Utf8.isValid(b, off, len)) {
            return fail("not valid UTF-8");
        }
        String[] values = values(b, off, len);
        if (values == null) {
            return null;
        }
        if (values.length != columns) {
            return fail(values.length + " values for " + columns + " columns");
        }
        for (int k = 0; k < columnOf.length; k++) {
            String v = values[columnOf[k]];
            if (v != null) {
                byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
                r.set(slotOf[k], bytes, 0, bytes.length);
            }
        }
        if (slots.hasDuplicates()) {
            slots.copyDuplicates(r);
        }
        return r;
    }

    private String[] values(byte[] b, int off, int len) {
        try {
            String[] v = reader.readValue(b, off, len);
            if (v == null) {
                reason = "no values";
            }
            return v;
        } catch (JacksonException e) {
            String message = e.getOriginalMessage();
            reason = message == null ? "not CSV" : message.lines().findFirst().orElse("not CSV");
            return null;
        }
    }

    private Record fail(String why) {
        reason = why;
        return null;
    }

    @Override
    public String malformedReason() {
        return reason;
    }
}
