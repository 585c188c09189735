package dev.mapreduce.engine.local;

import dev.mapreduce.engine.sql.QueryRow;
import dev.mapreduce.engine.sql.ResultColumn;
import java.util.List;

/** A local query's named columns, its rows in the query's order, and how the job went. */
public record QueryResult(List<ResultColumn> columns, List<QueryRow> rows, JobResult job) {}
