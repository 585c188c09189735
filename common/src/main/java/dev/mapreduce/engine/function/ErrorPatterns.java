package dev.mapreduce.engine.function;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.mapreduce.engine.record.Record;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ERROR_PATTERN: counts WARN and ERROR lines (also WARNING and FATAL, any case) per named
 * pattern their message matches. A pattern with a capturing group counts per captured value,
 * as {@code NAME:value} (exceptions by class, HTTP status by code); a line counts at most once
 * per pattern. Patterns run on RE2/J, whose matching time is linear in the input, so no pattern,
 * built in or supplied by a user, can hang a worker.
 */
final class ErrorPatterns implements MapFunction {

    /** Prefix of the job parameters that add (or replace) named patterns: {@code pattern.NAME=REGEX}. */
    static final String PARAMETER_PREFIX = "pattern.";

    static final int MAX_PATTERNS = 100;
    static final int MAX_REGEX_LENGTH = 2000;
    /** Largest program a pattern may compile to ({@link RegexSize}); nested counted repetitions multiply. */
    static final long MAX_PROGRAM_SIZE = 10_000;

    private static final java.util.regex.Pattern NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    /** The built-in catalogue: name, regular expression, what it finds. */
    static final List<BuiltIn> CATALOGUE = List.of(
            new BuiltIn(
                    "TIMEOUT", "(?i)\\b(?:time[ -]?out|timed out)\\b", "timeouts: 'timeout', 'timed out', 'time-out'"),
            new BuiltIn(
                    "EXCEPTION",
                    "\\b([A-Za-z_$][A-Za-z0-9_$]*(?:Exception|Error))\\b",
                    "Java-style exceptions and errors, counted per class (EXCEPTION:SocketTimeoutException)"),
            new BuiltIn(
                    "HTTP_5XX",
                    "(?i)\\b(?:status|http|code|returned)[ =:]*(5[0-9][0-9])\\b",
                    "HTTP server errors, counted per status (HTTP_5XX:503)"),
            new BuiltIn(
                    "CONNECTION_FAILURE",
                    "(?i)\\bconnection (?:refused|reset|timeout|timed out|failed|closed|lost|error)\\b"
                            + "|\\b(?:could not|cannot|can't|unable to|failed to) connect\\b"
                            + "|\\bECONNREFUSED\\b|\\bECONNRESET\\b|\\bbroken pipe\\b|\\bhost unreachable\\b",
                    "refused, reset, lost or timed-out connections"),
            new BuiltIn(
                    "OUT_OF_MEMORY", "(?i)OutOfMemoryError|\\bout of memory\\b|\\bOOM\\b", "out-of-memory conditions"),
            new BuiltIn(
                    "SLOW_OPERATION",
                    "(?i)\\bslow (?:query|request|call|response|operation)\\b",
                    "slow queries, requests and calls"),
            new BuiltIn("RETRY", "(?i)\\bretr(?:y|ying|ied|ies)\\b", "retried operations"),
            new BuiltIn(
                    "AUTH_FAILURE",
                    "(?i)\\b(?:unauthori[sz]ed|forbidden|access denied|authentication failed|invalid token|token expired)\\b",
                    "authentication and authorisation failures"),
            new BuiltIn(
                    "PAYMENT_DECLINED",
                    "(?i)\\bpayment (?:declined|failed|rejected)\\b",
                    "declined or failed payments"),
            new BuiltIn("DISK_FULL", "(?i)\\bno space left on device\\b|\\bdisk (?:is )?full\\b", "full disks"));

    /** One catalogue entry. */
    record BuiltIn(String name, String regex, String description) {}

    private static final int LEVEL = 0;
    private static final int MESSAGE = 1;
    private static final List<String> FIELDS = List.of("level", "message");

    private final String[] names;
    private final Pattern[] patterns;

    private ErrorPatterns(Map<String, String> patternsByName) {
        names = patternsByName.keySet().toArray(String[]::new);
        patterns = new Pattern[names.length];
        for (int i = 0; i < names.length; i++) {
            patterns[i] = Pattern.compile(patternsByName.get(names[i]));
        }
    }

    /**
     * The built-in catalogue plus the {@code pattern.NAME} entries of {@code parameters} (a user
     * pattern replaces a built-in one of the same name); every problem is reported at once.
     */
    static ErrorPatterns withParameters(Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>();
        for (BuiltIn b : CATALOGUE) {
            all.put(b.name(), b.regex());
        }
        List<String> problems = new ArrayList<>();
        int userPatterns = 0;
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(PARAMETER_PREFIX)) {
                problems.add(
                        "unknown parameter '" + key + "' (ERROR_PATTERN takes " + PARAMETER_PREFIX + "NAME=REGEX)");
                continue;
            }
            String name = key.substring(PARAMETER_PREFIX.length());
            String regex = e.getValue();
            userPatterns++;
            if (!NAME.matcher(name).matches()) {
                problems.add("pattern name '" + name + "' must be 1-64 letters, digits, '_', '.' or '-'");
            } else if (regex == null || regex.isEmpty()) {
                problems.add("pattern '" + name + "' is empty");
            } else if (regex.length() > MAX_REGEX_LENGTH) {
                problems.add("pattern '" + name + "' is longer than " + MAX_REGEX_LENGTH + " characters");
            } else if (RegexSize.of(regex, MAX_PROGRAM_SIZE) > MAX_PROGRAM_SIZE) {
                problems.add("pattern '" + name + "' is too large once its repetitions are expanded (at most "
                        + MAX_PROGRAM_SIZE + " steps; nested counts such as (a{100}){100} multiply)");
            } else {
                String error = compileError(regex);
                if (error != null) {
                    problems.add("pattern '" + name + "' is not a valid RE2 regular expression: " + error);
                } else {
                    all.put(name, regex);
                }
            }
        }
        if (userPatterns > MAX_PATTERNS) {
            problems.add("at most " + MAX_PATTERNS + " user patterns, got " + userPatterns);
        }
        if (!problems.isEmpty()) {
            throw new JobFunctionException(String.join("; ", problems));
        }
        return new ErrorPatterns(all);
    }

    private static String compileError(String regex) {
        try {
            Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            return e.getDescription() + " in '" + e.getPattern() + "'" + " (RE2 has no backreferences or lookaround)";
        }
    }

    @Override
    public List<String> fields() {
        return FIELDS;
    }

    @Override
    public void map(Record record, Emitter out) {
        if (!isWarnOrError(record) || !record.present(MESSAGE)) {
            return;
        }
        String message = record.string(MESSAGE);
        for (int i = 0; i < patterns.length; i++) {
            Matcher m = patterns[i].matcher(message);
            if (m.find()) {
                String key = m.groupCount() >= 1 && m.group(1) != null ? names[i] + ":" + m.group(1) : names[i];
                byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
                out.emit(bytes, 0, bytes.length, 1);
            }
        }
    }

    private static boolean isWarnOrError(Record r) {
        int len = r.length(LEVEL);
        if (len < 4 || len > 7) {
            return false;
        }
        String level = r.string(LEVEL).toUpperCase(Locale.ROOT);
        return level.equals("WARN") || level.equals("WARNING") || level.equals("ERROR") || level.equals("FATAL");
    }
}
