package dev.mapreduce.engine.function;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An upper bound on the size of the program a regular expression compiles to, found without
 * compiling it. RE2/J matches in linear time, but it expands counted repetitions when it compiles:
 * {@code ((a{100}){100}){100}} is a million instructions, enough to exhaust a service's heap from a
 * job request of 25 bytes. RE2 in C++ refuses such patterns; RE2/J does not, so patterns are
 * measured here first. The bound counts every literal, class and operator as one instruction and
 * multiplies a repeated atom by its largest count, so it is never below what RE2/J builds.
 */
public final class RegexSize {

    private RegexSize() {}

    /** The bound for {@code regex}, or {@code Long.MAX_VALUE} once it passes {@code limit}. */
    public static long of(String regex, long limit) {
        Deque<long[]> groups = new ArrayDeque<>(); // per open group: {size so far, size of its last atom}
        long size = 0;
        long last = 0;
        int i = 0;
        int n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            long atom = 1;
            switch (c) {
                case '\\' -> i = skipEscape(regex, i);
                case '[' -> i = skipClass(regex, i);
                case '(' -> {
                    groups.push(new long[] {size, last});
                    size = 0;
                    last = 0;
                    i++;
                    continue;
                }
                case ')' -> {
                    atom = size + 2;
                    if (groups.isEmpty()) {
                        i++; // unbalanced: RE2/J rejects it when it compiles
                    } else {
                        long[] outer = groups.pop();
                        size = outer[0];
                        i++;
                    }
                }
                case '*', '+', '?' -> {
                    size += 1;
                    i++;
                    continue;
                }
                case '{' -> {
                    int end = regex.indexOf('}', i);
                    long count = end < 0 ? -1 : repeatCount(regex.substring(i + 1, end));
                    if (count >= 0) {
                        size = saturatingAdd(size, saturatingMultiply(last, Math.max(0, count - 1)) + 1);
                        i = end + 1;
                        if (size > limit) {
                            return Long.MAX_VALUE;
                        }
                        continue;
                    }
                    i++; // a literal '{'
                }
                default -> i++;
            }
            size = saturatingAdd(size, atom);
            last = atom;
            if (size > limit) {
                return Long.MAX_VALUE;
            }
        }
        // groups left open are a syntax error RE2/J reports; count what they hold
        while (!groups.isEmpty()) {
            size = saturatingAdd(size, groups.pop()[0]);
        }
        return size > limit ? Long.MAX_VALUE : size;
    }

    /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 if it is not a repetition. */
    private static long repeatCount(String inside) {
        if (!inside.matches("\\d{1,9}(,\\d{0,9})?")) {
            return -1;
        }
        String[] parts = inside.split(",", -1);
        long min = Long.parseLong(parts[0]);
        if (parts.length == 1) {
            return min;
        }
        return parts[1].isEmpty() ? min + 1 : Math.max(min, Long.parseLong(parts[1]));
    }

    private static int skipEscape(String regex, int i) {
        int next = i + 2;
        if (next <= regex.length() && i + 1 < regex.length()) {
            char e = regex.charAt(i + 1);
            if ((e == 'p' || e == 'P' || e == 'x') && next < regex.length() && regex.charAt(next) == '{') {
                int close = regex.indexOf('}', next);
                return close < 0 ? regex.length() : close + 1;
            }
        }
        return Math.min(next, regex.length());
    }

    private static int skipClass(String regex, int i) {
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') {
            j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
            j++; // a ']' first is a member
        }
        while (j < regex.length()) {
            char c = regex.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '[' && j + 1 < regex.length() && regex.charAt(j + 1) == ':') {
                int close = regex.indexOf(":]", j + 2);
                j = close < 0 ? j + 1 : close + 2;
            } else if (c == ']') {
                return j + 1;
            } else {
                j++;
            }
        }
        return regex.length();
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatingMultiply(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
