package dev.mapreduce.engine.format;

import dev.mapreduce.engine.record.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a parser lays out the fields it was asked for: each distinct name gets the slot of its first
 * request; a name asked for twice is copied to its later slots after each parse. Parsers may add
 * hidden slots after the asked-for ones ({@link #hidden}) for fields they need themselves.
 */
public final class Slots {

    private final List<String> requested;
    private final Map<String, Integer> slotOf = new LinkedHashMap<>();
    /** Pairs (from, to) of slots to copy after a parse. */
    private final int[] copies;

    private int capacity;

    public Slots(List<String> fields) {
        this.requested = List.copyOf(fields);
        List<Integer> copies = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            Integer first = slotOf.putIfAbsent(requested.get(i), i);
            if (first != null) {
                copies.add(first);
                copies.add(i);
            }
        }
        this.copies = copies.stream().mapToInt(Integer::intValue).toArray();
        this.capacity = requested.size();
    }

    /** The distinct names asked for, each with its slot, in the order asked. */
    public Map<String, Integer> distinct() {
        return slotOf;
    }

    /** The slot of {@code name}, or -1 if it was not asked for. */
    public int slotOf(String name) {
        return slotOf.getOrDefault(name, -1);
    }

    /** The slot of {@code name}: its asked-for slot, or a new hidden one. */
    public int slotOrHidden(String name) {
        Integer s = slotOf.get(name);
        if (s != null) {
            return s;
        }
        int hidden = capacity++;
        slotOf.put(name, hidden);
        return hidden;
    }

    /** A new hidden slot. */
    public int hidden() {
        return capacity++;
    }

    public int visible() {
        return requested.size();
    }

    /** A record shaped for these slots (make it after every hidden slot is taken). */
    public Record newRecord() {
        return new Record(requested.size(), capacity);
    }

    /** Fills the slots of names asked for more than once; call after a successful parse. */
    public void copyDuplicates(Record r) {
        int[] c = copies;
        for (int i = 0; i < c.length; i += 2) {
            if (r.present(c[i])) {
                r.set(c[i + 1], r.array(c[i]), r.offset(c[i]), r.length(c[i]));
            } else {
                r.clear(c[i + 1]);
            }
        }
    }

    public boolean hasDuplicates() {
        return copies.length > 0;
    }
}
