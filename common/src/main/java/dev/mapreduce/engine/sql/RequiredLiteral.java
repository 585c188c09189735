package dev.mapreduce.engine.sql;

/**
 * The longest run of plain characters every match of a regular expression must contain, found
 * conservatively (none when in doubt): only outside groups and classes, never with alternation or
 * flags, a character followed by {@code ?}, {@code *} or a count ending the run without being
 * required. A regexp whose input lacks the run cannot match, so a byte search skips the regex
 * engine on most inputs (RE2 in C++ does the same with its literal prefilter).
 */
final class RequiredLiteral {

    private RequiredLiteral() {}

    /**
     * A run every match contains at a fixed distance from its start: {@code width} characters of
     * single-character atoms (literals, escapes such as {@code \d}, classes, {@code .}) come first.
     */
    record Anchor(String literal, int width) {}

    /**
     * The longest required run that starts a fixed number of characters into every match, or
     * null; never for patterns whose matches depend on what precedes them ({@code ^}, {@code \b}).
     */
    static Anchor anchor(String regex) {
        if (regex.indexOf('|') >= 0
                || regex.startsWith("(?")
                || regex.indexOf('^') >= 0
                || regex.contains("\\b")
                || regex.contains("\\B")
                || regex.contains("\\A")) {
            return null;
        }
        Anchor best = null;
        StringBuilder run = new StringBuilder();
        int runWidth = 0;
        int width = 0;
        int i = 0;
        int n = regex.length();
        while (i < n && width >= 0) {
            char c = regex.charAt(i);
            int next;
            Character literal = null;
            boolean single = true;
            if (c == '\\') {
                if (i + 1 >= n) {
                    return null;
                }
                char e = regex.charAt(i + 1);
                literal = Character.isLetterOrDigit(e) ? null : e;
                next = i + 2;
                if ((e == 'p' || e == 'P') && next < n && regex.charAt(next) == '{') {
                    int close = regex.indexOf('}', next);
                    next = close < 0 ? n : close + 1;
                } else if (e == 'x' || Character.isDigit(e) || "QEzC".indexOf(e) >= 0) {
                    single = false;
                }
            } else if (c == '[') {
                int j = i + 1;
                if (j < n && regex.charAt(j) == ']') {
                    j++;
                }
                while (j < n && regex.charAt(j) != ']') {
                    j += regex.charAt(j) == '\\' ? 2 : 1;
                }
                next = j + 1;
            } else if (c == '.') {
                next = i + 1;
            } else if ("()*+?{}$".indexOf(c) >= 0) {
                single = false;
                next = i + 1;
            } else {
                literal = c;
                next = i + 1;
            }
            char after = next < n ? regex.charAt(next) : 0;
            if (!single || after == '?' || after == '*' || after == '+' || after == '{') {
                if (literal != null && single && after == '+') {
                    run.append(literal);
                }
                best = better(best, run, runWidth);
                width = -1;
                break;
            }
            if (literal != null && literal < 128) {
                if (run.length() == 0) {
                    runWidth = width;
                }
                run.append(literal);
            } else {
                best = better(best, run, runWidth);
                run.setLength(0);
            }
            width++;
            i = next;
        }
        if (width >= 0) {
            best = better(best, run, runWidth);
        }
        return best;
    }

    private static Anchor better(Anchor best, StringBuilder run, int width) {
        return run.length() > 0
                        && (best == null || run.length() > best.literal().length())
                ? new Anchor(run.toString(), width)
                : best;
    }

    static String of(String regex) {
        if (regex.indexOf('|') >= 0 || regex.startsWith("(?")) {
            return null;
        }
        String best = "";
        StringBuilder run = new StringBuilder();
        int depth = 0;
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            int next;
            Character literal = null;
            if (c == '\\') {
                if (i + 1 >= n) {
                    return null;
                }
                char e = regex.charAt(i + 1);
                if (!Character.isLetterOrDigit(e)) {
                    literal = e;
                }
                next = i + 2;
                if ((e == 'p' || e == 'P' || e == 'x') && next < n && regex.charAt(next) == '{') {
                    int close = regex.indexOf('}', next);
                    next = close < 0 ? n : close + 1;
                } else if (e == 'x') {
                    next = Math.min(n, i + 4);
                }
            } else if (c == '[') {
                int j = i + 1;
                if (j < n && regex.charAt(j) == '^') {
                    j++;
                }
                if (j < n && regex.charAt(j) == ']') {
                    j++;
                }
                while (j < n && regex.charAt(j) != ']') {
                    j += regex.charAt(j) == '\\' ? 2 : 1;
                }
                next = j + 1;
            } else if (c == '(') {
                depth++;
                next = i + 1;
            } else if (c == ')') {
                depth--;
                next = i + 1;
            } else if (".^$*+?{}".indexOf(c) >= 0) {
                next = i + 1;
            } else {
                literal = c;
                next = i + 1;
            }
            char after = next < n ? regex.charAt(next) : 0;
            boolean optional = after == '?' || after == '*' || after == '{';
            if (literal != null && depth == 0 && !optional && literal < 128) {
                run.append(literal);
                if (after == '+') {
                    best = longer(best, run);
                    run.setLength(0);
                }
            } else {
                best = longer(best, run);
                run.setLength(0);
            }
            i = next;
        }
        best = longer(best, run);
        return best.isEmpty() ? null : best;
    }

    private static String longer(String best, StringBuilder run) {
        return run.length() > best.length() ? run.toString() : best;
    }
}
