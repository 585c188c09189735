package dev.mapreduce.engine.format;

import java.util.List;

/**
 * A format description that cannot be compiled, with every problem found (unknown format, bad
 * pattern, unknown grok name, a field mapped to nothing, ...), each a sentence of its own.
 */
public class FormatException extends IllegalArgumentException {

    private final List<Problem> problems;

    /** One problem: where in the format description ({@code "pattern"}, {@code "fields.level"}), and what. */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field == null || field.isEmpty() ? message : field + ": " + message;
        }
    }

    public FormatException(List<Problem> problems) {
        super(String.join("; ", problems.stream().map(Problem::toString).toList()));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a FormatException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public FormatException(String field, String message) {
        this(List.of(new Problem(field, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
