package dev.mapreduce.engine.task;

import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.shuffle.PartialSink;
import dev.mapreduce.engine.shuffle.RunMerger;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.shuffle.StateCodec;
import dev.mapreduce.engine.shuffle.StateSink;
import java.util.List;

/**
 * One reduce task: a streaming k-way merge of its partition's runs, one per map task, folding
 * every key's partials with the reduce function. Keys reach the sink once each, in ascending
 * order, as finished partials; {@link ReduceFunction#result} gives the output value.
 */
public final class ReduceTask {

    private final ReduceFunction function;
    private final StateCodec codec;

    public ReduceTask(ReduceFunction function) {
        this.function = function;
        this.codec = null;
    }

    /** A query's reduce task: merges the aggregate states of equal keys with {@code codec}. */
    public ReduceTask(StateCodec codec) {
        this.function = null;
        this.codec = codec;
    }

    /** Reduces runs of aggregate states into {@code sink}, each key once, in ascending order. */
    public TaskCounters runStates(List<RunReader> runs, StateSink sink) {
        TaskCounters counters = new TaskCounters(0);
        long[] out = new long[1];
        long read = RunMerger.mergeStates(runs, codec, true, (key, len, state) -> {
            out[0]++;
            sink.accept(key, len, state);
        });
        counters.addReduceInput(read);
        counters.addOutput(out[0]);
        return counters;
    }

    /**
     * Reduces {@code runs} into {@code sink}. Each reader checks its run before using it, so a
     * damaged run fails the task with a {@link dev.mapreduce.engine.shuffle.CorruptRunException},
     * possibly after some keys reached the sink.
     */
    public TaskCounters run(List<RunReader> runs, PartialSink sink) {
        TaskCounters counters = new TaskCounters(0);
        long[] out = new long[1];
        long read = RunMerger.merge(runs, function, (key, len, a, b) -> {
            out[0]++;
            sink.accept(key, len, a, b);
        });
        counters.addReduceInput(read);
        counters.addOutput(out[0]);
        return counters;
    }
}
