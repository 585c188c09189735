package dev.mapreduce.engine.local;

import dev.mapreduce.engine.format.Formats;
import dev.mapreduce.engine.format.LogFormat;
import dev.mapreduce.engine.function.FunctionCatalogue;
import dev.mapreduce.engine.function.MapFunction;
import dev.mapreduce.engine.function.ReduceFunction;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.engine.input.ReadCounter;
import dev.mapreduce.engine.partition.Murmur3Partitioner;
import dev.mapreduce.engine.shuffle.RunMerger;
import dev.mapreduce.engine.shuffle.RunReader;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.engine.sql.ResultCollector;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.MalformedRecords;
import dev.mapreduce.engine.task.MapOutput;
import dev.mapreduce.engine.task.MapTask;
import dev.mapreduce.engine.task.ReduceTask;
import dev.mapreduce.engine.task.TaskCounters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a job over files in this process with the very classes the workers use: {@link MapTask}
 * per split, then {@link ReduceTask} per partition, on a pool of threads, the shuffle held in
 * memory, or in the map tasks' spill files when large. The output reaches the sink sorted by key.
 */
public final class LocalJobRunner {

    /** Each map run a reduce task reads from a file is read through a buffer of this size. */
    private static final int READ_BUFFER_BYTES = 64 * 1024;

    private final int threads;
    private final ReadCounter counter;

    public LocalJobRunner(int threads) {
        this(threads, null);
    }

    /** A runner whose map tasks count the bytes and lines they read into {@code counter} (null: none). */
    public LocalJobRunner(int threads, ReadCounter counter) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.counter = counter;
    }

    /**
     * Runs {@code job} and writes its output to {@code sink}.
     *
     * @throws JobFailedException when more of its records are malformed than the job allows
     * @throws IllegalArgumentException for a job that cannot run (unknown function, bad parameter,
     *     a format that does not compile or lacks a field the function reads, missing input, fewer
     *     than one mapper or reducer), before any work starts
     */
    public JobResult run(LocalJob job, OutputSink sink) throws IOException {
        long started = System.nanoTime();
        if (job.mappers() < 1) {
            throw new IllegalArgumentException("mappers must be at least 1, got " + job.mappers());
        }
        if (job.reducers() < 1) {
            throw new IllegalArgumentException("reducers must be at least 1, got " + job.reducers());
        }
        ReduceFunction reduce = FunctionCatalogue.reduceFunction(job.reduceFunction());
        MapFunction checked = FunctionCatalogue.mapFunction(job.mapFunction(), job.parameters()); // fail fast
        LogFormat format = Formats.compile(job.format());
        FunctionCatalogue.checkFields(job.mapFunction(), checked, format);
        List<Path> files = FileSplitter.listFiles(job.inputs());
        List<InputSplit> splits = FileSplitter.split(files, job.mappers());
        int partitions = job.reducers();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "local-task");
            t.setDaemon(true);
            return t;
        });
        // every map output made, closed (its spill files deleted) when the job ends, however it ends
        List<MapOutput> made = Collections.synchronizedList(new ArrayList<>());
        try {
            TaskCounters total = new TaskCounters(partitions);
            List<Callable<MapOutput>> mapTasks = new ArrayList<>();
            for (InputSplit split : splits) {
                mapTasks.add(() -> {
                    MapOutput output = new MapTask(
                                    FunctionCatalogue.mapFunction(job.mapFunction(), job.parameters()),
                                    format,
                                    reduce,
                                    job.combiner(),
                                    Murmur3Partitioner.INSTANCE,
                                    partitions,
                                    job.sortBufferBytes(),
                                    job.spillDirectory())
                            .run(input(split));
                    made.add(output);
                    return output;
                });
            }
            List<MapOutput> mapOutputs = runAll(pool, mapTasks);
            mapOutputs.forEach(out -> total.add(out.counters()));
            String tooMalformed = MalformedRecords.failure(
                    format.name(),
                    total.recordsRead(),
                    total.malformedRecords(),
                    job.maxMalformedRatio(),
                    total.malformedSamples().samples());
            if (tooMalformed != null) {
                throw new JobFailedException(tooMalformed);
            }
            List<Callable<byte[]>> reduceTasks = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                int partition = p;
                reduceTasks.add(() -> {
                    List<RunReader> runs = new ArrayList<>();
                    for (MapOutput out : mapOutputs) {
                        if (out.runs().has(partition)) {
                            runs.add(out.runs().reader(partition, READ_BUFFER_BYTES));
                        }
                    }
                    RunWriter writer = new RunWriter(reduce.usesCount());
                    TaskCounters c =
                            new ReduceTask(reduce).run(runs, (key, len, a, b) -> writer.add(key, 0, len, a, b));
                    synchronized (total) {
                        total.add(c);
                    }
                    return writer.finish();
                });
            }
            List<byte[]> partitionOutputs = runAll(pool, reduceTasks);
            closeAll(made);
            // Partitions hold disjoint keys, each sorted: merging them gives the global key order.
            RunMerger.merge(partitionOutputs.stream().map(RunReader::new).toList(), reduce, (key, len, a, b) -> {
                try {
                    sink.accept(key, len, reduce.result(a, b));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return new JobResult(total, splits.size(), partitions, Duration.ofNanos(System.nanoTime() - started));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            pool.shutdownNow();
            closeAll(made);
        }
    }

    /**
     * Runs a SQL query: a {@link MapTask} per split with the query compiled for it, then a
     * {@link ReduceTask} per partition merging the aggregate states into rows, then ORDER BY and
     * LIMIT over the rows of all partitions.
     *
     * @throws IllegalArgumentException for a job that cannot run (missing input, no mapper or reducer)
     * @throws dev.mapreduce.engine.sql.QueryException when a value fails a CAST while running
     */
    public QueryResult runQuery(LocalQueryJob job) throws IOException {
        long started = System.nanoTime();
        if (job.mappers() < 1) {
            throw new IllegalArgumentException("mappers must be at least 1, got " + job.mappers());
        }
        if (job.reducers() < 1) {
            throw new IllegalArgumentException("reducers must be at least 1, got " + job.reducers());
        }
        List<Path> files = FileSplitter.listFiles(job.inputs());
        List<InputSplit> splits = FileSplitter.split(files, job.mappers());
        int partitions = job.reducers();
        SqlQuery query = job.query();
        SqlQuery.Task planning = query.compile();
        // a query without GROUP BY has one group, of the empty key: its partition answers even for no input
        int emptyGroupPartition =
                planning.global() ? planning.partitioner().partition(new byte[0], 0, 0, partitions) : -1;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "local-task");
            t.setDaemon(true);
            return t;
        });
        List<MapOutput> made = Collections.synchronizedList(new ArrayList<>());
        try {
            TaskCounters total = new TaskCounters(partitions);
            List<Callable<MapOutput>> mapTasks = new ArrayList<>();
            for (InputSplit split : splits) {
                mapTasks.add(() -> {
                    SqlQuery.Task task = query.compile();
                    MapOutput output = new MapTask(
                                    task.mapper(job.readers().get()),
                                    task.codec(),
                                    job.combiner(),
                                    task.partitioner(),
                                    partitions,
                                    job.sortBufferBytes(),
                                    job.spillDirectory())
                            .run(input(split));
                    made.add(output);
                    return output;
                });
            }
            List<MapOutput> mapOutputs = runAll(pool, mapTasks);
            mapOutputs.forEach(out -> total.add(out.counters()));
            ResultCollector collector = planning.collector();
            List<Callable<Void>> reduceTasks = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                int partition = p;
                reduceTasks.add(() -> {
                    List<RunReader> runs = new ArrayList<>();
                    for (MapOutput out : mapOutputs) {
                        if (out.runs().has(partition)) {
                            runs.add(out.runs().reader(partition, READ_BUFFER_BYTES));
                        }
                    }
                    SqlQuery.Task task = query.compile();
                    SqlQuery.Reducer reducer = task.reducer(row -> {
                        synchronized (collector) {
                            collector.add(row);
                        }
                    });
                    TaskCounters c = new ReduceTask(task.codec()).runStates(runs, reducer);
                    reducer.finish(partition == emptyGroupPartition);
                    synchronized (total) {
                        total.add(c);
                    }
                    return null;
                });
            }
            runAll(pool, reduceTasks);
            closeAll(made);
            JobResult result =
                    new JobResult(total, splits.size(), partitions, Duration.ofNanos(System.nanoTime() - started));
            return new QueryResult(query.columns(), collector.rows(), result);
        } finally {
            pool.shutdownNow();
            closeAll(made);
        }
    }

    private LineSource input(InputSplit split) {
        return counter == null ? split : counter.counting(split);
    }

    private static void closeAll(List<MapOutput> outputs) {
        synchronized (outputs) {
            outputs.forEach(MapOutput::close);
            outputs.clear();
        }
    }

    private static <T> List<T> runAll(ExecutorService pool, List<Callable<T>> tasks) throws IOException {
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(task));
        }
        List<T> results = new ArrayList<>(futures.size());
        try {
            for (Future<T> f : futures) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
        return results;
    }
}
