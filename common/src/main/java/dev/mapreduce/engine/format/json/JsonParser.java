package dev.mapreduce.engine.format.json;

import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.format.Slots;
import dev.mapreduce.engine.record.Record;
import java.util.List;

/**
 * The {@code json} format: each line one JSON object; a field is a member name or a dotted path
 * into nested objects ({@code http.response.status_code}, also found as a member whose name holds
 * the dots). A string is its decoded text, a number or boolean its JSON text, an object or array
 * its JSON text, and {@code null} or a missing member is absent.
 */
public final class JsonParser implements RecordParser {

    private final JsonScanner json;
    private final Slots slots;
    private final Record record;

    private String reason;

    public JsonParser(List<String> fields) {
        slots = new Slots(fields);
        PathTree tree = new PathTree();
        slots.distinct().forEach((name, slot) -> tree.add(name, slot, false));
        json = new JsonScanner(tree);
        record = slots.newRecord();
    }

    @Override
    public Record parse(byte[] line, int off, int len) {
        Record r = record;
        r.reset();
        if (!json.scan(line, off, len, r)) {
            reason = len == 0 ? "empty line" : json.reason();
            return null;
        }
        if (slots.hasDuplicates()) {
            slots.copyDuplicates(r);
        }
        return r;
    }

    @Override
    public String malformedReason() {
        return reason;
    }

    /** Whether {@code path} can name a field: not empty, no empty segment, at most the tree's dots. */
    public static String pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "a field name must not be empty";
        }
        if (path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            return "'" + path + "' has an empty path segment";
        }
        if (path.chars().filter(c -> c == '.').count() > PathTree.MAX_DOTS) {
            return "'" + path + "' has more than " + PathTree.MAX_DOTS + " dots";
        }
        return null;
    }
}
