package dev.mapreduce.engine.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Collects a job's output as "key\tvalue" rows, in the order the sink received them. */
final class Rows implements OutputSink {

    private final List<String> rows = new ArrayList<>();

    @Override
    public void accept(byte[] key, int len, String value) {
        rows.add(new String(key, 0, len, StandardCharsets.UTF_8) + "\t" + value);
    }

    List<String> rows() {
        return rows;
    }
}
