package dev.mapreduce.engine.input;

/** Receives the lines (or multi-line events) of an input, without their terminators. */
public interface LineHandler {

    /** One line: {@code buf[off, off + len)}; the bytes are only valid during the call. */
    void line(byte[] buf, int off, int len);

    /** A line (or event) longer than the reader's limit was skipped without being read into memory. */
    void oversizedLine();

    /**
     * Called once, before the lines, by sources that can say where each line is: {@code
     * locator.where()} then describes the line being delivered (for malformed samples).
     */
    default void locator(Locator locator) {}

    /** The header line of a file (formats whose first line names the columns), before that file's lines. */
    default void header(byte[] buf, int off, int len) {}

    /** Where the current line of an input is, in words: {@code app.log at byte 1234}, {@code topic t partition 2 offset 17}. */
    @FunctionalInterface
    interface Locator {
        String where();
    }
}
