package dev.mapreduce.deploy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compose's variable interpolation as it comes out when no variable is set: {@code ${VAR:-default}}
 * and {@code ${VAR-default}} give the default, {@code ${VAR}} nothing, {@code $$} a dollar sign. A
 * required variable, {@code ${VAR:?message}} (Compose refuses to start without it), stands for a
 * value that is set: {@code <VAR>}. The checks judge the file's defaults, not whatever the machine
 * running them has in its environment.
 */
final class Interpolation {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private Interpolation() {}

    static String withDefaults(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else if (m.group(2) != null && m.group(2).endsWith("-")) {
                replacement = m.group(3);
            } else if (m.group(2) != null) {
                replacement = "<" + m.group(1) + ">";
            } else {
                replacement = "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
