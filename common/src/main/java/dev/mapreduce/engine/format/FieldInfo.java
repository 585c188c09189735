package dev.mapreduce.engine.format;

/** One field a format yields: its name (what jobs and queries call it), its type and what it holds. */
public record FieldInfo(String name, FieldType type, String description) {

    /** A text field that a format accepting any field yields for a name it does not know up front. */
    public static FieldInfo anyString(String name) {
        return new FieldInfo(name, FieldType.STRING, "");
    }
}
