package dev.mapreduce.engine.format;

import dev.mapreduce.engine.format.FormatException.Problem;
import java.util.ArrayList;
import java.util.List;

/** One format or preset: what it is, which spec members it takes, and how it builds from a spec. */
interface FormatKind {

    String name();

    boolean preset();

    String description();

    /** The spec members it takes besides {@code type}. */
    List<String> options();

    /** A spec of this kind that compiles, for the catalogue. */
    FormatSpec example();

    /** Lines the example reads, when the format has none of its own (regex, grok). */
    default List<String> exampleLines() {
        return List.of();
    }

    /**
     * The format's own parts (its fields, parser, event time, samples), or null when the spec has
     * problems that keep it from being built; problems go to {@code problems}.
     */
    CompiledFormat.Builder build(FormatSpec spec, List<Problem> problems);

    /** The members of {@code spec} this kind does not take. */
    default List<String> refusedOptions(FormatSpec spec) {
        List<String> given = new ArrayList<>();
        if (spec.pattern() != null) {
            given.add("pattern");
        }
        if (spec.patterns() != null) {
            given.add("patterns");
        }
        if (spec.columns() != null) {
            given.add("columns");
        }
        if (spec.header() != null) {
            given.add("header");
        }
        if (spec.delimiter() != null) {
            given.add("delimiter");
        }
        given.removeAll(options());
        return given;
    }
}
