package dev.mapreduce.engine.format;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.mapreduce.engine.function.RegexSize;

/**
 * User patterns of formats (regex, multi-line starts, grok after expansion), compiled with RE2/J,
 * whose matching time is linear in the input, and refused when their compiled program would be
 * too large (see {@link RegexSize}): never {@code java.util.regex} on user input.
 */
public final class Regexes {

    /** Longest pattern, once grok names are expanded. */
    public static final int MAX_LENGTH = 64 * 1024;

    /** Largest program a pattern may compile to. */
    public static final long MAX_PROGRAM_SIZE = 200_000;

    private Regexes() {}

    /**
     * Compiles {@code regex}.
     *
     * @throws FormatException (one problem, without a field) if it is too long, too large once
     *     its repetitions are expanded, or not valid RE2
     */
    public static Pattern compile(String regex) {
        if (regex.length() > MAX_LENGTH) {
            throw new FormatException("", "the pattern is longer than " + MAX_LENGTH + " characters");
        }
        if (RegexSize.of(regex, MAX_PROGRAM_SIZE) > MAX_PROGRAM_SIZE) {
            throw new FormatException(
                    "",
                    "the pattern is too large once its repetitions are expanded (at most " + MAX_PROGRAM_SIZE
                            + " steps; nested counts such as (a{100}){100} multiply)");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new FormatException(
                    "",
                    "not a valid RE2 pattern: " + e.getDescription() + " in '" + e.getPattern()
                            + "' (RE2 has no backreferences or lookaround)");
        }
    }
}
