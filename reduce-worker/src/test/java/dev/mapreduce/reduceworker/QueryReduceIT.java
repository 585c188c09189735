package dev.mapreduce.reduceworker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapreduce.engine.format.FormatSpec;
import dev.mapreduce.engine.input.FileSplitter;
import dev.mapreduce.engine.input.InputSplit;
import dev.mapreduce.engine.input.LineSource;
import dev.mapreduce.engine.shuffle.RunSource;
import dev.mapreduce.engine.shuffle.RunWriter;
import dev.mapreduce.engine.sql.CorpusOracle;
import dev.mapreduce.engine.sql.CorpusOracle.Shape;
import dev.mapreduce.engine.sql.FormatReader;
import dev.mapreduce.engine.sql.SqlQuery;
import dev.mapreduce.engine.task.MapOutput;
import dev.mapreduce.engine.task.MapTask;
import dev.mapreduce.protocol.MapRunRef;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.QueryResults;
import dev.mapreduce.protocol.TaskEvent;
import dev.mapreduce.protocol.TaskEvent.Kind;
import dev.mapreduce.protocol.TaskMessage;
import dev.mapreduce.protocol.TaskType;
import dev.mapreduce.runtime.KafkaMessages;
import dev.mapreduce.runtime.ShuffleStore;
import dev.mapreduce.runtime.redis.RedisShuffleStore;
import dev.mapreduce.runtime.testing.TaskEvents;
import dev.mapreduce.runtime.testing.TestKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Query jobs through a real reduce worker: the SQL corpus's queries on its generated data in two
 * formats (and on empty input), mapped by the map worker's code path (the query compiled per map
 * task, states partitioned by its partitioner, one state run per partition in Redis under the
 * attempt's keys), reduced by the worker from Kafka tasks into PostgreSQL in its exactly-once
 * commit, cut to OFFSET and LIMIT and given a view as the coordinator does when the job completes;
 * every row of the view must equal DuckDB's for the same text on the same file, in the query's
 * order.
 */
class QueryReduceIT extends RunningReduceWorker {

    private static final Duration TTL = Duration.ofMinutes(10);
    private static final int MAPPERS = 3;

    static Path dir;
    static final Map<Shape, Path> files = new EnumMap<>(Shape.class);
    static final Map<Shape, CorpusOracle> ducks = new EnumMap<>(Shape.class);
    static Path empty;
    static CorpusOracle duckEmpty;

    private TaskEvents events;
    private KafkaMessages coordinator;
    private ShuffleStore shuffle;
    private final List<UUID> jobs = new ArrayList<>();

    @BeforeAll
    static void data() throws Exception {
        dir = Files.createTempDirectory("query-reduce-it");
        for (Shape shape : List.of(Shape.DEFAULT, Shape.JSON)) {
            Path file = dir.resolve("corpus-" + shape + ".jsonl");
            CorpusOracle.write(file, 10_000, 42, shape);
            files.put(shape, file);
            ducks.put(shape, new CorpusOracle(file, shape));
        }
        empty = dir.resolve("empty.jsonl");
        Files.createFile(empty);
        duckEmpty = new CorpusOracle(empty, Shape.DEFAULT);
    }

    @AfterAll
    static void closeOracles() throws Exception {
        for (CorpusOracle d : ducks.values()) {
            d.close();
        }
        duckEmpty.close();
    }

    @BeforeEach
    void connect() {
        events = new TaskEvents(TestKafka.bootstrapServers());
        coordinator = new KafkaMessages(TestKafka.bootstrapServers(), "test-coordinator", Duration.ofSeconds(10));
        shuffle = new RedisShuffleStore(REDIS_URL, Duration.ofSeconds(10));
    }

    @AfterEach
    void disconnect() {
        jobs.forEach(shuffle::deleteJob);
        events.close();
        coordinator.close();
        shuffle.close();
    }

    /** Every exact corpus query in the default format, and in json with renames and real NULLs. */
    static Stream<Arguments> exact() {
        return Stream.of(Shape.DEFAULT, Shape.JSON)
                .flatMap(shape -> CorpusOracle.exactQueries().stream().map(sql -> Arguments.of(shape, sql)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("exact")
    void everyRowEqualsDuckDb(Shape shape, String sql) throws Exception {
        ducks.get(shape).assertSameRows(sql, runOnWorkers(sql, shape, files.get(shape)));
    }

    static Stream<String> withoutGroupBy() {
        return CorpusOracle.exactQueries().stream()
                .filter(sql -> !sql.toUpperCase(Locale.ROOT).contains("GROUP BY"));
    }

    /** An aggregate without GROUP BY has its one row (count 0, sum NULL) though no map task read anything. */
    @ParameterizedTest(name = "empty input: {0}")
    @MethodSource("withoutGroupBy")
    void everyRowEqualsDuckDbOnEmptyInput(String sql) throws Exception {
        duckEmpty.assertSameRows(sql, runOnWorkers(sql, Shape.DEFAULT, empty));
    }

    static IntStream approximate() {
        return IntStream.range(0, CorpusOracle.approximateQueries());
    }

    @ParameterizedTest(name = "approximate {0}")
    @MethodSource("approximate")
    void approximateAggregatesAreWithinTheirBounds(int i) throws Exception {
        ducks.get(Shape.DEFAULT)
                .assertWithinBounds(
                        i, runOnWorkers(CorpusOracle.approximateQuery(i), Shape.DEFAULT, files.get(Shape.DEFAULT)));
    }

    @Test
    void rowsKeepTheContractColumnsAndNamedColumnsInJson() throws Exception {
        String sql = "SELECT service, level, count(*) AS n, avg(length(message)) AS len FROM logs"
                + " GROUP BY service, level ORDER BY n DESC, service, level LIMIT 3";
        List<List<Object>> ours = runOnWorkers(sql, Shape.DEFAULT, files.get(Shape.DEFAULT));
        ducks.get(Shape.DEFAULT).assertSameRows(sql, ours);
        UUID jobId = jobs.get(jobs.size() - 1);

        List<List<Object>> contract = jdbc.sql("SELECT result_key, result_value, result_row ->> 'service'"
                        + " FROM results WHERE job_id = ? ORDER BY result_value DESC LIMIT 20")
                .param(jobId)
                .query((rs, n) -> List.<Object>of(rs.getString(1), rs.getLong(2), rs.getString(3)))
                .list();
        assertThat(contract).hasSize(3);
        for (int i = 0; i < 3; i++) {
            List<Object> row = ours.get(i);
            assertThat(contract.get(i)).containsExactly(row.get(0) + "\t" + row.get(1), row.get(2), row.get(0));
        }
    }

    /**
     * Runs {@code sql} as a query job over {@code file}: {@value #MAPPERS} map attempts as the map
     * worker runs them, a reduce task per partition sent to the worker, then the job's completion as
     * the coordinator does it. Returns the rows of the job's view, in its order.
     */
    private List<List<Object>> runOnWorkers(String sql, Shape shape, Path file) throws Exception {
        FormatSpec format = CorpusOracle.format(shape);
        SqlQuery query = SqlQuery.parse(sql, CorpusOracle.schema(shape));
        UUID jobId = insertJob(UUID.randomUUID());
        jobs.add(jobId);
        jdbc.sql("UPDATE jobs SET query = ?, format = ?::jsonb, map_function = NULL, reduce_function = NULL"
                        + " WHERE job_id = ?")
                .param(sql)
                .param(new String(Messages.encode(format), StandardCharsets.UTF_8))
                .param(jobId)
                .update();

        List<InputSplit> splits = FileSplitter.split(List.of(file), MAPPERS);
        List<MapRunRef> maps = new ArrayList<>();
        for (int m = 0; m < Math.max(1, splits.size()); m++) {
            mapAttempt(jobId, m, query, splits.isEmpty() ? null : splits.get(m));
            maps.add(new MapRunRef(m, 1));
        }
        for (int p = 0; p < PARTITIONS; p++) {
            coordinator.send(new TaskMessage(
                    jobId,
                    TaskType.REDUCE,
                    p,
                    1,
                    null,
                    null,
                    Map.of(),
                    true,
                    PARTITIONS,
                    null,
                    List.of(),
                    List.of(),
                    maps,
                    List.of(),
                    format,
                    sql));
        }
        for (int p = 0; p < PARTITIONS; p++) {
            List<TaskEvent> reported = events.awaitEvent(jobId, p, 1, Kind.SUCCEEDED);
            assertThat(reported.get(reported.size() - 1).kind()).isEqualTo(Kind.SUCCEEDED);
        }

        setJobStatus(jobId, "COMPLETED");
        if (query.limit() >= 0 || query.offset() > 0) {
            jdbc.sql(QueryResults.CUT_TO_LIMIT)
                    .param(jobId)
                    .param(jobId)
                    .param(query.limit() < 0 ? null : query.limit())
                    .param(query.offset())
                    .update();
        }
        jdbc.sql(QueryResults.createView(jobId, query.columns())).update();
        List<List<Object>> rows = jdbc.sql("SELECT * FROM " + QueryResults.viewName(jobId))
                .query((ResultSet rs, int n) -> row(rs))
                .list();
        jdbc.sql(QueryResults.dropView(jobId)).update();
        return CorpusOracle.values(rows);
    }

    /** One map attempt as the map worker runs a query's: its runs (an empty state run where it has no keys) in Redis. */
    private void mapAttempt(UUID jobId, int m, SqlQuery query, LineSource split) throws IOException {
        List<RunSource> runs = new ArrayList<>();
        RunSource emptyRun = RunSource.of(RunWriter.ofStates().finish());
        if (split == null) {
            for (int p = 0; p < PARTITIONS; p++) {
                runs.add(emptyRun);
            }
            shuffle.writeRuns(jobId, m, 1, runs, TTL);
            return;
        }
        SqlQuery.Task task = query.compile();
        MapTask map = new MapTask(
                task.mapper(FormatReader.of(query)), task.codec(), true, task.partitioner(), PARTITIONS, 1 << 20, dir);
        try (MapOutput output = map.run(split)) {
            for (int p = 0; p < PARTITIONS; p++) {
                runs.add(output.runs().has(p) ? output.runs().run(p) : emptyRun);
            }
            shuffle.writeRuns(jobId, m, 1, runs, TTL);
        }
    }

    private static List<Object> row(ResultSet rs) throws java.sql.SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.add(rs.getObject(i));
        }
        return row;
    }
}
