package dev.mapreduce.coordinator;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The metric names a PromQL expression selects, found by a lexer rather than a regular expression: it skips
 * function and aggregation names (an identifier followed by {@code (}), keywords and the label lists of
 * {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and {@code group_right}, everything
 * inside {@code {…}} (label matchers) and {@code […]} (ranges, subqueries), strings, numbers, durations, comments
 * and Grafana variables ({@code $__rate_interval}, {@code ${var}}, {@code [[var]]}).
 */
final class PromQl {

    private static final Set<String> KEYWORDS = Set.of(
            // binary and set operators, modifiers
            "and",
            "or",
            "unless",
            "atan2",
            "bool",
            "offset",
            "inf",
            "nan",
            // aggregation operators, which may be followed by by/without before their parenthesis
            "sum",
            "min",
            "max",
            "avg",
            "group",
            "stddev",
            "stdvar",
            "count",
            "count_values",
            "bottomk",
            "topk",
            "quantile",
            "limitk",
            "limit_ratio");

    private static final Set<String> LABEL_LIST_KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    private final String text;
    private int pos;

    private PromQl(String text) {
        this.text = text;
    }

    /** The metric names {@code expr} selects, in order of appearance. */
    static Set<String> metricNames(String expr) {
        return new PromQl(expr).scan();
    }

    private Set<String> scan() {
        Set<String> names = new LinkedHashSet<>();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#') {
                skipLine();
            } else if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
            } else if (c == '{') {
                skipBlock('{', '}');
            } else if (c == '[') {
                skipBlock('[', ']');
            } else if (c == '$') {
                skipVariable();
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < text.length() && Character.isDigit(peek(1)))) {
                skipNumber();
            } else if (isIdentifierStart(c)) {
                String word = identifier();
                String lower = word.toLowerCase(java.util.Locale.ROOT);
                if (LABEL_LIST_KEYWORDS.contains(lower)) {
                    skipSpace();
                    if (pos < text.length() && text.charAt(pos) == '(') {
                        skipBlock('(', ')');
                    }
                } else if (!KEYWORDS.contains(lower) && !followedByParenthesis()) {
                    names.add(word);
                }
            } else {
                pos++; // operators, parentheses, commas
            }
        }
        return names;
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private boolean followedByParenthesis() {
        int i = pos;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }

    /** Skips a bracketed block, with strings and nested brackets of the same kind inside it. */
    private void skipBlock(char open, char close) {
        int depth = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"' || c == '\'' || c == '`') {
                skipString(c);
                continue;
            }
            pos++;
            if (c == open) {
                depth++;
            } else if (c == close && --depth == 0) {
                return;
            }
        }
        throw new IllegalArgumentException("unclosed '" + open + "' in: " + text);
    }

    private void skipString(char quote) {
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '\\' && quote != '`') {
                pos++;
            } else if (c == quote) {
                return;
            }
        }
        throw new IllegalArgumentException("unclosed string in: " + text);
    }

    /** {@code $name}, {@code ${name}} or {@code ${name:format}}; {@code [[name]]} is skipped as a range. */
    private void skipVariable() {
        pos++;
        if (pos < text.length() && text.charAt(pos) == '{') {
            skipBlock('{', '}');
        } else {
            while (pos < text.length() && isIdentifierPart(text.charAt(pos))) {
                pos++;
            }
        }
    }

    /** Numbers (1, 0.95, 1e-9, 0x1f, Inf is a keyword) and durations (5m, 1h30m). */
    private void skipNumber() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '.' || c == '_') {
                pos++;
            } else if ((c == '+' || c == '-') && (peek(-1) == 'e' || peek(-1) == 'E') && isDecimalSoFar()) {
                pos++;
            } else {
                return;
            }
        }
    }

    /** Whether the number being read is decimal (so an {@code e} before a sign is an exponent, not hex). */
    private boolean isDecimalSoFar() {
        int i = pos - 1;
        while (i > 0 && (Character.isLetterOrDigit(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) {
            i--;
        }
        return !(text.startsWith("0x", i) || text.startsWith("0X", i));
    }

    private void skipLine() {
        while (pos < text.length() && text.charAt(pos) != '\n') {
            pos++;
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek(int offset) {
        int i = pos + offset;
        return i >= 0 && i < text.length() ? text.charAt(i) : '\0';
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9');
    }
}
