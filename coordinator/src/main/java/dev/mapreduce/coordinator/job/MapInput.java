package dev.mapreduce.coordinator.job;

import dev.mapreduce.protocol.FileSplit;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What one map task reads: offset ranges of the job's topic, or file splits under the input root.
 * Stored in {@code tasks.input} as a JSON array of whichever it is; the job says which.
 */
public record MapInput(List<OffsetRange> ranges, List<FileSplit> files) {

    public MapInput {
        ranges = List.copyOf(ranges);
        files = List.copyOf(files);
    }

    public static MapInput ofRanges(List<OffsetRange> ranges) {
        return new MapInput(ranges, List.of());
    }

    static MapInput ofFiles(List<FileSplit> files) {
        return new MapInput(List.of(), files);
    }

    /** The task input of a job that reads files ({@code files} true) or a topic, as {@link #json()} wrote it. */
    public static MapInput decode(String json, boolean files) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return files
                ? ofFiles(Arrays.asList(Messages.decode(bytes, FileSplit[].class)))
                : ofRanges(Arrays.asList(Messages.decode(bytes, OffsetRange[].class)));
    }

    public String json() {
        return JobStore.json(files.isEmpty() ? ranges : files);
    }

    /** Records to read; unknown (0) for files, whose records are counted only as they are read. */
    public long records() {
        return ranges.stream().mapToLong(OffsetRange::count).sum();
    }

    /** {@code application-logs[0:0-25000, 1:0-5]} or {@code logs/a.log[0-67108864], …}; empty for no input. */
    String describe(String topic) {
        if (!files.isEmpty()) {
            return files.stream().map(FileSplit::toString).collect(Collectors.joining(", "));
        }
        if (ranges.isEmpty()) {
            return "";
        }
        return ranges.stream()
                .map(r -> r.partition() + ":" + r.start() + "-" + r.end())
                .collect(Collectors.joining(", ", topic + "[", "]"));
    }
}
