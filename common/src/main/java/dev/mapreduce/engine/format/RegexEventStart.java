package dev.mapreduce.engine.format;

import com.google.re2j.Pattern;
import dev.mapreduce.engine.input.EventStart;
import java.util.Arrays;

/** A multi-line start pattern: a line starts an event when the pattern is found in it (RE2/J). */
final class RegexEventStart implements EventStart {

    private final Pattern pattern;

    RegexEventStart(Pattern pattern) {
        this.pattern = pattern;
    }

    @Override
    public boolean startsEvent(byte[] line, int off, int len) {
        byte[] exact = off == 0 && len == line.length ? line : Arrays.copyOfRange(line, off, off + len);
        return pattern.matcher(exact).find();
    }

    @Override
    public String toString() {
        return pattern.pattern();
    }
}
