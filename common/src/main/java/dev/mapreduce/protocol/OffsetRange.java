package dev.mapreduce.protocol;

/** The records {@code [start, end)} of one partition of a topic. */
public record OffsetRange(int partition, long start, long end) {

    public OffsetRange {
        if (partition < 0 || start < 0 || end < start) {
            throw new IllegalArgumentException("bad offset range " + partition + ":[" + start + ", " + end + ")");
        }
    }

    public long count() {
        return end - start;
    }
}
