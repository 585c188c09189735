package dev.mapreduce.engine.record;

/** The four fields every valid log record has, as strings. */
public enum LogField {
    TIMESTAMP("timestamp"),
    LEVEL("level"),
    SERVICE("service"),
    MESSAGE("message");

    private final String jsonName;

    LogField(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The member name in the JSON form. */
    public String jsonName() {
        return jsonName;
    }
}
