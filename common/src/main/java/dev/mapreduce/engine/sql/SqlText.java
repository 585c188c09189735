package dev.mapreduce.engine.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The query text as users write it for DuckDB or PostgreSQL, made readable for Calcite's Babel
 * parser, with a map back to the user's positions. Three rewrites, token by token (never inside
 * a string literal, a quoted identifier or a comment):
 *
 * <ul>
 *   <li>{@code timestamp}, {@code date} and {@code time} used as column names (not as a type in
 *       {@code CAST(x AS timestamp)} or {@code x::timestamp}, not before a literal as in {@code
 *       TIMESTAMP '2026-11-20 00:00:00'}) become quoted identifiers: Calcite reserves them;
 *   <li>{@code INTERVAL '5 minutes'} becomes {@code INTERVAL '5' MINUTE};
 *   <li>{@code unnest(} becomes a call of the function {@code "unnest"}, which Calcite only knows
 *       in FROM.
 * </ul>
 */
final class SqlText {

    private static final Set<String> TYPE_WORDS = Set.of("timestamp", "date", "time");

    /** The text Calcite parses. */
    final String text;
    /** For each char of {@link #text}, the offset of the user's char it came from. */
    private final int[] origin;

    private final String original;

    private SqlText(String original, String text, int[] origin) {
        this.original = original;
        this.text = text;
        this.origin = origin;
    }

    String original() {
        return original;
    }

    private record Token(int start, int end, char kind) {} // kind: w word, s string, q quoted, p punctuation

    static SqlText of(String sql) {
        List<Token> tokens = tokens(sql);
        StringBuilder out = new StringBuilder(sql.length() + 16);
        List<Integer> map = new ArrayList<>(sql.length() + 16);
        int copied = 0;
        int castDepth = -1;
        int depth = 0;
        List<Integer> castDepths = new ArrayList<>();
        for (int t = 0; t < tokens.size(); t++) {
            Token tok = tokens.get(t);
            String word = tok.kind == 'w' ? sql.substring(tok.start, tok.end).toLowerCase(Locale.ROOT) : "";
            Token next = t + 1 < tokens.size() ? tokens.get(t + 1) : null;
            Token prev = t > 0 ? tokens.get(t - 1) : null;
            if (tok.kind == 'p') {
                char c = sql.charAt(tok.start);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    if (!castDepths.isEmpty() && castDepths.get(castDepths.size() - 1) == depth) {
                        castDepths.remove(castDepths.size() - 1);
                    }
                    depth--;
                }
                continue;
            }
            if ((word.equals("cast") || word.equals("try_cast")) && next != null && is(sql, next, "(")) {
                castDepths.add(depth + 1);
                continue;
            }
            String replacement = null;
            int replaceEnd = tok.end;
            if (TYPE_WORDS.contains(word)) {
                boolean literal = next != null && next.kind == 's';
                boolean castType = prev != null
                        && ((prev.kind == 'w'
                                        && sql.substring(prev.start, prev.end).equalsIgnoreCase("as")
                                        && !castDepths.isEmpty()
                                        && castDepths.get(castDepths.size() - 1) == depth)
                                || is(sql, prev, "::"));
                boolean function = next != null && is(sql, next, "(");
                if (!literal && !castType && !function) {
                    replacement = "\"" + word + "\"";
                }
            } else if (word.equals("interval") && next != null && next.kind == 's') {
                String inside = sql.substring(next.start + 1, next.end - 1).strip();
                String[] parts = inside.split("\\s+");
                if (parts.length == 2 && parts[0].matches("[0-9]{1,9}")) {
                    String unit = unit(parts[1]);
                    if (unit != null) {
                        replacement = "INTERVAL '" + parts[0] + "' " + unit;
                        replaceEnd = next.end;
                        t++;
                    }
                }
            } else if (word.equals("unnest") && next != null && is(sql, next, "(")) {
                replacement = "\"unnest\"";
            }
            if (replacement != null) {
                append(sql, copied, tok.start, out, map);
                for (int i = 0; i < replacement.length(); i++) {
                    out.append(replacement.charAt(i));
                    map.add(tok.start);
                }
                copied = replaceEnd;
            }
        }
        append(sql, copied, sql.length(), out, map);
        int[] origin = new int[map.size() + 1];
        for (int i = 0; i < map.size(); i++) {
            origin[i] = map.get(i);
        }
        origin[map.size()] = sql.length();
        return new SqlText(sql, out.toString(), origin);
    }

    private static String unit(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.endsWith("s") && w.length() > 1) {
            w = w.substring(0, w.length() - 1);
        }
        return switch (w) {
            case "second", "sec" -> "SECOND";
            case "minute", "min" -> "MINUTE";
            case "hour" -> "HOUR";
            case "day" -> "DAY";
            default -> null;
        };
    }

    private static boolean is(String sql, Token tok, String text) {
        return tok.kind == 'p'
                && sql.regionMatches(tok.start, text, 0, text.length())
                && tok.end - tok.start == text.length();
    }

    private static void append(String sql, int from, int to, StringBuilder out, List<Integer> map) {
        for (int i = from; i < to; i++) {
            out.append(sql.charAt(i));
            map.add(i);
        }
    }

    /** Words, literals, quoted identifiers and punctuation; comments and blanks are skipped. */
    private static List<Token> tokens(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                int end = Math.min(j + 1, n);
                tokens.add(new Token(i, end, c == '\'' ? 's' : 'q'));
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i + 1;
                while (j < n
                        && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                tokens.add(new Token(i, j, 'w'));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.')) {
                    j++;
                }
                tokens.add(new Token(i, j, 'n'));
                i = j;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '/') {
                // Calcite reads // as a comment, DuckDB as integer division: refuse rather than guess
                int[] at = positionOf(sql, i);
                throw new QueryException(
                        "'//' (integer division) is not supported; use CAST(a / b AS BIGINT) or a % b", at[0], at[1]);
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                tokens.add(new Token(i, i + 2, 'p'));
                i += 2;
            } else {
                tokens.add(new Token(i, i + 1, 'p'));
                i++;
            }
        }
        return tokens;
    }

    /**
     * The user's 1-based line and column of the 1-based line and column Calcite reported in
     * {@link #text}: {@code {line, column}}.
     */
    int[] position(int line, int column) {
        if (line < 1) {
            return new int[] {0, 0};
        }
        int offset = 0;
        for (int l = 1; l < line && offset < text.length(); offset++) {
            if (text.charAt(offset) == '\n') {
                l++;
            }
        }
        offset = Math.min(text.length(), offset + Math.max(0, column - 1));
        return positionOf(origin[offset]);
    }

    /** The 1-based line and column of the user's char at {@code offset}. */
    int[] positionOf(int offset) {
        return positionOf(original, offset);
    }

    static int[] positionOf(String original, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(offset, original.length()); i++) {
            if (original.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }
}
