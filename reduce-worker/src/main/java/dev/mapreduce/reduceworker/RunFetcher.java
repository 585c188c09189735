package dev.mapreduce.reduceworker;

import dev.mapreduce.engine.shuffle.CorruptRunException;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.runtime.MissingRunException;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.StoredRun;
import dev.mapreduce.runtime.TaskMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens a reduce attempt's runs for a streaming merge: the fetch buffer is shared out among them,
 * each run read a window of its share at a time, so memory does not grow with the runs' length.
 * A missing or damaged run becomes a {@link FetchFailure} naming its map task.
 */
final class RunFetcher {

    /** The smallest and largest window a run is read in. */
    static final int MIN_WINDOW_BYTES = 16 * 1024;

    static final int MAX_WINDOW_BYTES = 1 << 20;

    private final ShuffleStore shuffleStore;
    private final int fetchBufferBytes;
    private final TaskMetrics metrics;

    RunFetcher(ShuffleStore shuffleStore, int fetchBufferBytes, TaskMetrics metrics) {
        this.shuffleStore = shuffleStore;
        this.fetchBufferBytes = fetchBufferBytes;
        this.metrics = metrics;
    }

    /**
     * Readers of the partition's runs, in the order of the task's map runs: a run the first read
     * brought whole is checked now, the others block by block as they are merged.
     */
    List<RunReader> open(TaskMessage task) {
        int window = window(task.mapRuns().size());
        List<StoredRun> stored;
        long fetchStart = System.nanoTime();
        try {
            stored = shuffleStore.openRuns(task.jobId(), task.taskIndex(), task.mapRuns(), window);
        } catch (MissingRunException e) {
            throw missing(e);
        } catch (CorruptRunException e) {
            throw corrupt(task, e.source(), e);
        } finally {
            metrics.shuffleRead(Duration.ofNanos(System.nanoTime() - fetchStart));
        }
        List<RunReader> readers = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            StoredRun run = stored.get(i);
            try {
                readers.add(run.whole() != null ? new RunReader(run.whole()) : new RunReader(run.open(), window, i));
            } catch (CorruptRunException e) {
                throw corrupt(task, i, e);
            }
        }
        return readers;
    }

    /** Each run's share of the fetch buffer, within bounds. */
    private int window(int runs) {
        return Math.max(MIN_WINDOW_BYTES, Math.min(MAX_WINDOW_BYTES, fetchBufferBytes / Math.max(1, runs)));
    }

    static FetchFailure missing(MissingRunException e) {
        return new FetchFailure(e.mapTask(), "fetch failed: " + e.getMessage(), e);
    }

    /** A fetch failure naming the map task of the run at {@code index} in the task's map runs. */
    static FetchFailure corrupt(TaskMessage task, int index, CorruptRunException e) {
        if (index < 0 || index >= task.mapRuns().size()) {
            throw new IllegalStateException("a damaged shuffle run that is not one of the task's", e);
        }
        int mapTask = task.mapRuns().get(index).mapTask();
        return new FetchFailure(
                mapTask,
                "fetch failed: shuffle run of map task " + mapTask + " is corrupt (" + e.getMessage() + ")",
                e);
    }
}
