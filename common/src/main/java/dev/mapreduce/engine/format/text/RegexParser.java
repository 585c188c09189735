package dev.mapreduce.engine.format.text;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.mapreduce.engine.format.RecordParser;
import dev.mapreduce.engine.format.Slots;
import dev.mapreduce.engine.record.Record;
import dev.mapreduce.engine.record.Utf8;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Lines matched by an RE2/J pattern (the regex and grok formats): a line is a record when the
 * pattern is found in it (anchor it with {@code ^...$} to require the whole line); each field is
 * a named group, absent when its group took no part in the match. A field may have several groups
 * (grok patterns that name a field in each alternative): the first that took part gives it.
 */
final class RegexParser implements RecordParser {

    private final Pattern pattern;
    private final Slots slots;
    private final int[] slotOf;
    private final int[][] groupsOf;
    private final Record record;
    private Matcher matcher;

    private String reason;

    /** @param groups for each field this format yields, its groups in order of preference */
    RegexParser(Pattern pattern, Map<String, int[]> groups, List<String> fields) {
        this.pattern = pattern;
        slots = new Slots(fields);
        int n = slots.distinct().size();
        slotOf = new int[n];
        groupsOf = new int[n][];
        int k = 0;
        for (Map.Entry<String, Integer> e : slots.distinct().entrySet()) {
            slotOf[k] = e.getValue();
            groupsOf[k] = groups.get(e.getKey());
            k++;
        }
        record = slots.newRecord();
    }

    @Override
    public Record parse(byte[] b, int off, int len) {
        Record r = record;
        r.reset();
        if (len == 0) {
            return fail("empty line");
        }
        if (!Utf8.isValid(b, off, len)) {
            return fail("not valid UTF-8");
        }
        byte[] line = Arrays.copyOfRange(b, off, off + len); // RE2/J matches whole arrays; the record keeps it
        Matcher m = matcher == null ? (matcher = pattern.matcher(line)) : matcher.reset(line);
        if (!m.find()) {
            return fail("does not match the pattern");
        }
        for (int k = 0; k < slotOf.length; k++) {
            for (int g : groupsOf[k]) {
                int start = m.start(g);
                if (start >= 0) {
                    r.set(slotOf[k], line, start, m.end(g) - start);
                    break;
                }
            }
        }
        if (slots.hasDuplicates()) {
            slots.copyDuplicates(r);
        }
        return r;
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
