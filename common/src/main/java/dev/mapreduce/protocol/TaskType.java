package dev.mapreduce.protocol;

/** The two kinds of task; the name is stored in PostgreSQL and used as a metric tag (lowercase). */
public enum TaskType {
    MAP,
    REDUCE;

    /** The metric tag value, {@code map} or {@code reduce}. */
    public String tag() {
        return this == MAP ? "map" : "reduce";
    }
}
