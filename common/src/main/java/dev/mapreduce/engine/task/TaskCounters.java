package dev.mapreduce.engine.task;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What tasks counted; a job's counters are the sum of its tasks'. Not thread-safe. */
public final class TaskCounters {

    private long recordsRead;
    private long malformedRecords;
    private long mapOutputRecords;
    private long combineOutputRecords;
    private long reduceInputRecords;
    private long outputRecords;
    private long[] shuffleBytes;
    private final MalformedRecords malformedSamples = new MalformedRecords();

    public TaskCounters(int partitions) {
        shuffleBytes = new long[partitions];
    }

    public long recordsRead() {
        return recordsRead;
    }

    public long malformedRecords() {
        return malformedRecords;
    }

    /** The first malformed records, with where they were and why (not in {@link #asMap}). */
    public MalformedRecords malformedSamples() {
        return malformedSamples;
    }

    public long mapOutputRecords() {
        return mapOutputRecords;
    }

    /** Entries written to the shuffle: distinct keys per task and partition when the combiner is on. */
    public long combineOutputRecords() {
        return combineOutputRecords;
    }

    public long reduceInputRecords() {
        return reduceInputRecords;
    }

    public long outputRecords() {
        return outputRecords;
    }

    /** Encoded shuffle bytes written for each reduce partition. */
    public long[] shuffleBytes() {
        return shuffleBytes.clone();
    }

    public long totalShuffleBytes() {
        return Arrays.stream(shuffleBytes).sum();
    }

    void addRecordsRead(long n) {
        recordsRead += n;
    }

    void addMalformed(long n) {
        malformedRecords += n;
    }

    void addMapOutput(long n) {
        mapOutputRecords += n;
    }

    void addCombineOutput(long n) {
        combineOutputRecords += n;
    }

    void addShuffleBytes(int partition, long n) {
        shuffleBytes[partition] += n;
    }

    public void addReduceInput(long n) {
        reduceInputRecords += n;
    }

    public void addOutput(long n) {
        outputRecords += n;
    }

    /** Adds every counter of {@code other} to this one. */
    public void add(TaskCounters other) {
        recordsRead += other.recordsRead;
        malformedRecords += other.malformedRecords;
        malformedSamples.addAll(other.malformedSamples);
        mapOutputRecords += other.mapOutputRecords;
        combineOutputRecords += other.combineOutputRecords;
        reduceInputRecords += other.reduceInputRecords;
        outputRecords += other.outputRecords;
        if (other.shuffleBytes.length > shuffleBytes.length) {
            shuffleBytes = Arrays.copyOf(shuffleBytes, other.shuffleBytes.length);
        }
        for (int p = 0; p < other.shuffleBytes.length; p++) {
            shuffleBytes[p] += other.shuffleBytes[p];
        }
    }

    /** The counters by their display names, in a stable order. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("recordsRead", recordsRead);
        m.put("malformedRecords", malformedRecords);
        m.put("mapOutputRecords", mapOutputRecords);
        m.put("combineOutputRecords", combineOutputRecords);
        m.put("reduceInputRecords", reduceInputRecords);
        m.put("outputRecords", outputRecords);
        m.put("shuffleBytes", totalShuffleBytes());
        m.put("shuffleBytesPerPartition", shuffleBytes());
        return m;
    }
}
