package dev.mapreduce.engine.format.text;

import java.util.ArrayList;
import java.util.List;

/** The keys of a logfmt line, in order (for the preview, which shows every key a line holds). */
public final class LogfmtKeys {

    private LogfmtKeys() {}

    public static List<String> of(String line) {
        List<String> keys = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && " \t=\"".indexOf(line.charAt(i)) < 0) {
                i++;
            }
            if (i == start) {
                return keys; // not logfmt from here on
            }
            keys.add(line.substring(start, i));
            if (i < n && line.charAt(i) == '=') {
                i++;
                if (i < n && line.charAt(i) == '"') {
                    i++;
                    while (i < n && line.charAt(i) != '"') {
                        i += line.charAt(i) == '\\' ? 2 : 1;
                    }
                    i++;
                } else {
                    while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                        i++;
                    }
                }
            }
        }
        return keys;
    }
}
