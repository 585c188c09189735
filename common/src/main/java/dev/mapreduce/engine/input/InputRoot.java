package dev.mapreduce.engine.input;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The folder that file inputs are named relative to. Nothing outside it can be read through it:
 * {@link #syntaxProblem} refuses absolute paths, {@code ..} segments and backslashes before any
 * file is touched, and {@link #resolve} follows symbolic links and refuses a path whose real
 * location is not inside the root's real location. The coordinator checks a job's path with it
 * at submit, and each map worker again before it opens a split, so a root that differs between
 * them, or a link changed in between, cannot lead a task outside its worker's root.
 */
public final class InputRoot {

    public static final int MAX_PATH_LENGTH = 1024;

    /** {@code C:} at the start, which Windows reads as a drive, never as a relative name. */
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

    private final Path root;

    /** @param root the input root; relative to the working folder unless absolute */
    public InputRoot(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path path() {
        return root;
    }

    /**
     * Why {@code path} cannot name an input under a root, or null when it can: it must be 1 to
     * {@value #MAX_PATH_LENGTH} characters without control characters, relative, {@code /}-separated
     * (a backslash is refused rather than guessed at) and without a {@code ..} segment. Names such
     * as {@code %2e%2e} are just names: nothing decodes them.
     */
    public static String syntaxProblem(String path) {
        if (path.isEmpty()) {
            return "must not be empty";
        }
        if (path.length() > MAX_PATH_LENGTH) {
            return "must be at most " + MAX_PATH_LENGTH + " characters";
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        if (path.indexOf('\\') >= 0) {
            return "must separate folders with /, not \\";
        }
        if (path.startsWith("/") || DRIVE.matcher(path).matches()) {
            return "must be relative to the input root, not absolute";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return "must not contain a .. segment";
            }
        }
        return null;
    }

    /**
     * The real location of {@code relative} (symbolic links followed), which exists and is inside
     * the root's real location.
     *
     * @throws InputPathException if the path is not a valid relative name or leads outside the root
     * @throws java.nio.file.NoSuchFileException if the path, or the root itself, does not exist
     * @throws IOException if the file system cannot say
     */
    public Path resolve(String relative) throws IOException {
        String problem = syntaxProblem(relative);
        if (problem != null) {
            throw new InputPathException(relative, problem);
        }
        Path candidate;
        try {
            candidate = root.resolve(relative);
        } catch (InvalidPathException e) {
            throw new InputPathException(relative, "is not a file name this system can read: " + e.getReason());
        }
        return inside(candidate, relative);
    }

    /**
     * {@code file} (found by listing a folder under the root) as its real location, if that is
     * inside the root.
     *
     * @throws InputPathException if its real location is outside the root
     */
    public Path inside(Path file, String name) throws IOException {
        Path real = file.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
            throw new InputPathException(name, "leads outside the input root");
        }
        return real;
    }

    /** {@code file}, a real location inside the root, as a {@code /}-separated path relative to the root. */
    public String relativize(Path file) throws IOException {
        Path relative = root.toRealPath().relativize(file);
        StringBuilder name = new StringBuilder();
        for (Path part : relative) {
            if (!name.isEmpty()) {
                name.append('/');
            }
            name.append(part);
        }
        return name.isEmpty() ? "." : name.toString();
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
