package dev.mapreduce.engine.format.preset;

import dev.mapreduce.engine.format.Slots;
import dev.mapreduce.engine.record.Record;
import java.util.List;

/**
 * The slots of a preset's fixed fields: {@code slot[f]} is where field number {@code f} of the
 * preset goes, or -1 when the parser was not asked for it (so it is never set).
 */
final class FieldSlots {

    final Slots slots;
    final int[] slot;
    final Record record;

    FieldSlots(List<String> presetFields, List<String> wanted) {
        slots = new Slots(wanted);
        slot = new int[presetFields.size()];
        for (int f = 0; f < slot.length; f++) {
            slot[f] = slots.slotOf(presetFields.get(f));
        }
        record = slots.newRecord();
    }

    void set(int field, byte[] b, int off, int len) {
        int s = slot[field];
        if (s >= 0) {
            record.set(s, b, off, len);
        }
    }

    Record done() {
        if (slots.hasDuplicates()) {
            slots.copyDuplicates(record);
        }
        return record;
    }
}
