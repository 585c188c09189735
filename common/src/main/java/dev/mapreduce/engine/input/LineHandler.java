package dev.mapreduce.engine.input;

/** Receives the lines of an input, without their terminators. */
public interface LineHandler {

    /** One line: {@code buf[off, off + len)}; the bytes are only valid during the call. */
    void line(byte[] buf, int off, int len);

    /** A line longer than the reader's limit was skipped without being read into memory. */
    void oversizedLine();
}
