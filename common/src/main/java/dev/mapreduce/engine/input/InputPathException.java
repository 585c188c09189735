package dev.mapreduce.engine.input;

/** An input path that may not be read: not a valid relative name, or leading outside the input root. */
public final class InputPathException extends IllegalArgumentException {

    private final String path;
    private final String reason;

    public InputPathException(String path, String reason) {
        super("input path '" + path + "' " + reason);
        this.path = path;
        this.reason = reason;
    }

    /** The path as given, relative to the root. */
    public String path() {
        return path;
    }

    /** What is wrong with it, as a sentence without the path ("leads outside the input root"). */
    public String reason() {
        return reason;
    }
}
