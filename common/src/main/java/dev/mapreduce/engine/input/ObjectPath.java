package dev.mapreduce.engine.input;

import java.util.regex.Pattern;

/**
 * An input in an S3-compatible object store, {@code s3://bucket/key}: the key names one object, a
 * "folder" (the objects directly under {@code key/}), or a glob over keys ({@code *}, {@code ?},
 * {@code [..]}, <code>{a,b}</code> as in {@link java.nio.file.FileSystem#getPathMatcher}, {@code *}
 * not crossing a {@code /}).
 */
public record ObjectPath(String bucket, String key) {

    public static final String SCHEME = "s3://";

    /** S3's bucket naming rules, loosely: what S3-compatible stores accept too. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-_]{1,61}[a-z0-9]");

    /** Whether {@code inputPath} names an object store input rather than a path under the input root. */
    public static boolean isObjectPath(String inputPath) {
        return inputPath != null && inputPath.startsWith(SCHEME);
    }

    /** Why {@code path} ({@code s3://…}) is not a valid object path, or null when it is. */
    public static String syntaxProblem(String path) {
        if (path.length() > InputRoot.MAX_PATH_LENGTH) {
            return "must be at most " + InputRoot.MAX_PATH_LENGTH + " characters";
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        String rest = path.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (!BUCKET.matcher(bucket).matches()) {
            return "must name a bucket (3 to 63 lower-case letters, digits, '.', '-') after s3://, got '" + bucket
                    + "'";
        }
        return null;
    }

    /** @throws IllegalArgumentException if {@link #syntaxProblem} finds one */
    public static ObjectPath parse(String path) {
        if (!isObjectPath(path)) {
            throw new IllegalArgumentException("not an s3:// path: " + path);
        }
        String problem = syntaxProblem(path);
        if (problem != null) {
            throw new IllegalArgumentException(path + " " + problem);
        }
        String rest = path.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        return slash < 0
                ? new ObjectPath(rest, "")
                : new ObjectPath(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** Whether the key holds a glob character. */
    public boolean isGlob() {
        return globStart() >= 0;
    }

    /** The key up to its first glob character: what to list. */
    public String listPrefix() {
        int at = globStart();
        return at < 0 ? key : key.substring(0, at);
    }

    /** {@code s3://bucket/key}. */
    public static String uri(String bucket, String key) {
        return SCHEME + bucket + "/" + key;
    }

    @Override
    public String toString() {
        return uri(bucket, key);
    }

    private int globStart() {
        for (int i = 0; i < key.length(); i++) {
            if ("*?[{".indexOf(key.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
