package dev.mapreduce.engine.function;

import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.record.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs a map function over one JSON line and collects "key=value" strings. */
final class MapFunctions {

    private MapFunctions() {}

    static List<String> emitted(MapFunction f, String level, String service, String message) {
        String json = "{\"timestamp\":\"t\",\"level\":\"" + level + "\",\"service\":\"" + service + "\",\"message\":\""
                + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        byte[] line = json.getBytes(StandardCharsets.UTF_8);
        Record record = Formats.DEFAULT.newParser(f.fields()).parse(line, 0, line.length);
        if (record == null) {
            throw new IllegalArgumentException("not a valid record: " + json);
        }
        List<String> out = new ArrayList<>();
        f.map(
                record,
                (key, off, len, value) -> out.add(new String(key, off, len, StandardCharsets.UTF_8) + "=" + value));
        return out;
    }
}
