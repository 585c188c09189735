package dev.mapreduce.coordinator.job;

import dev.mapreduce.coordinator.task.TaskStore;
import dev.mapreduce.protocol.Messages;
import dev.mapreduce.protocol.QueryResults;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Reads jobs as users see them. */
@Repository
class JobViews {

    private static final String SELECT = "SELECT j.*,"
            + " count(t.*) FILTER (WHERE t.task_type = 'MAP') AS map_tasks,"
            + " count(t.*) FILTER (WHERE t.task_type = 'MAP' AND t.status = 'COMPLETED') AS maps_done,"
            + " count(t.*) FILTER (WHERE t.task_type = 'REDUCE' AND t.status = 'COMPLETED') AS reduces_done,"
            + " coalesce(sum(t.records_read), 0) AS c_records_read,"
            + " coalesce(sum(t.malformed_records), 0) AS c_malformed,"
            + " coalesce(sum(t.map_output_records), 0) AS c_map_output,"
            + " coalesce(sum(t.combine_output_records), 0) AS c_combine_output,"
            + " coalesce(sum(t.shuffle_bytes), 0) AS c_shuffle_bytes,"
            + " coalesce(sum(t.reduce_input_records), 0) AS c_reduce_input,"
            + " coalesce(sum(t.output_records), 0) AS c_output"
            + " FROM jobs j LEFT JOIN tasks t ON t.job_id = j.job_id";

    private final JdbcTemplate jdbc;

    private final TaskStore tasks;

    JobViews(JdbcTemplate jdbc, TaskStore tasks) {
        this.jdbc = jdbc;
        this.tasks = tasks;
    }

    Optional<JobView> find(UUID jobId) {
        return jdbc.query(SELECT + " WHERE j.job_id = ? GROUP BY j.job_id", JobViews::view, jobId).stream()
                .findFirst()
                .map(view -> view.withMalformedSamples(
                        view.counters().malformedRecords() == 0 ? List.of() : tasks.malformedSamples(jobId)));
    }

    /** A page of jobs, newest first, and how many match in all. */
    JobSummary.Page list(JobQuery query) {
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (!query.statuses().isEmpty()) {
            conditions.add("status IN ("
                    + String.join(", ", Collections.nCopies(query.statuses().size(), "?")) + ")");
            args.addAll(query.statuses());
        }
        if (query.name() != null) {
            // strpos, not LIKE: a name may hold % and _
            conditions.add("strpos(lower(job_name), lower(?)) > 0");
            args.add(query.name());
        }
        if (query.owner() != null) {
            conditions.add("owner = ?");
            args.add(query.owner());
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        Long total = jdbc.queryForObject("SELECT count(*) FROM jobs" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(query.limit());
        pageArgs.add(query.offset());
        List<JobSummary> jobs = jdbc
                .query(
                        SELECT + " WHERE j.job_id IN (SELECT job_id FROM jobs" + where
                                + " ORDER BY created_at DESC, job_id LIMIT ? OFFSET ?)"
                                + " GROUP BY j.job_id ORDER BY j.created_at DESC, j.job_id",
                        JobViews::view,
                        pageArgs.toArray())
                .stream()
                .map(JobSummary::of)
                .toList();
        return new JobSummary.Page(jobs, total == null ? 0 : total, query.limit(), query.offset());
    }

    private static JobView view(ResultSet rs, int n) throws SQLException {
        UUID jobId = rs.getObject("job_id", UUID.class);
        String status = rs.getString("status");
        int mapTasks = rs.getInt("map_tasks");
        int mapsDone = rs.getInt("maps_done");
        int reducers = rs.getInt("num_reducers");
        int reducesDone = rs.getInt("reduces_done");
        boolean completed = "COMPLETED".equals(status);
        double mapProgress = completed ? 100 : percent(mapsDone, mapTasks);
        double reduceProgress = completed ? 100 : percent(reducesDone, reducers);
        Instant created = instant(rs.getTimestamp("created_at"));
        Instant completedAt = instant(rs.getTimestamp("completed_at"));
        @SuppressWarnings("unchecked")
        Map<String, String> parameters =
                Messages.decode(rs.getString("parameters").getBytes(StandardCharsets.UTF_8), Map.class);
        return new JobView(
                jobId,
                rs.getString("job_name"),
                status,
                rs.getString("owner"),
                rs.getString("input_topic"),
                rs.getString("input_path"),
                instant(rs.getTimestamp("input_from")),
                instant(rs.getTimestamp("input_to")),
                rs.getInt("num_mappers"),
                reducers,
                rs.getString("map_function"),
                rs.getString("reduce_function"),
                rs.getString("query"),
                parameters,
                rs.getBoolean("combiner"),
                JobRow.format(rs.getString("format")),
                rs.getDouble("max_malformed_ratio"),
                created,
                instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("map_completed_at")),
                completedAt,
                completedAt == null ? null : completedAt.toEpochMilli() - created.toEpochMilli(),
                rs.getLong("input_records"),
                mapTasks,
                mapsDone,
                reducers,
                reducesDone,
                mapProgress,
                reduceProgress,
                completed ? 100 : Math.round((mapProgress + reduceProgress) * 5) / 10.0,
                new JobView.Counters(
                        rs.getLong("c_records_read"),
                        rs.getLong("c_malformed"),
                        rs.getLong("c_map_output"),
                        rs.getLong("c_combine_output"),
                        rs.getLong("c_shuffle_bytes"),
                        rs.getLong("c_reduce_input"),
                        rs.getLong("c_output")),
                rs.getString("error"),
                List.of(),
                rs.getString("query") == null
                        ? "SELECT result_key, result_value FROM results WHERE job_id = '" + jobId
                                + "' ORDER BY result_value DESC LIMIT 20;"
                        : "SELECT * FROM " + QueryResults.viewName(jobId) + ";",
                "/api/jobs/" + jobId + "/results");
    }

    private static double percent(int done, int total) {
        return total == 0 ? 0 : Math.round(done * 1000.0 / total) / 10.0;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
