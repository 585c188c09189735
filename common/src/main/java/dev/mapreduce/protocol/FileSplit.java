package dev.mapreduce.protocol;

/**
 * The bytes {@code [start, end)} of one input file, named by its {@code path} relative to the input
 * root that coordinator and map workers share ({@code /}-separated). Lines are read as Hadoop's
 * TextInputFormat does (see {@code engine.input.InputSplit}); a {@code gzip} file is always read
 * whole, so its split is {@code [0, size)}.
 */
public record FileSplit(String path, long start, long end, boolean gzip) {

    public FileSplit {
        if (path == null || path.isEmpty() || start < 0 || end < start) {
            throw new IllegalArgumentException("bad file split " + path + "[" + start + "-" + end + "]");
        }
    }

    public long length() {
        return end - start;
    }

    /** {@code logs/a.log[0-67108864]}, for task lists and logs. */
    @Override
    public String toString() {
        return path + "[" + start + "-" + end + "]";
    }
}
