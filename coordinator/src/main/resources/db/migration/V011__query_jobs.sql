-- Query jobs (issue 14): a job runs a SQL query over its format's fields instead of map and
-- reduce functions, so those are absent for it. Its rows keep their named, typed columns in
-- result_row (a JSON object in the query's column order); result_ord sorts them in the query's
-- ORDER BY (bytes that compare as the ORDER BY values do; NULL without ORDER BY). result_key
-- holds the group key values as text, joined by a tab, and result_value the first numeric column
-- (NULL when the query has none), so the contract query on results works for every job.
ALTER TABLE jobs
    ADD COLUMN query text,
    ALTER COLUMN map_function DROP NOT NULL,
    ALTER COLUMN reduce_function DROP NOT NULL,
    ADD CONSTRAINT jobs_query_or_functions
        CHECK ((query IS NULL) = (map_function IS NOT NULL AND reduce_function IS NOT NULL));

ALTER TABLE results
    ALTER COLUMN result_value DROP NOT NULL,
    ADD COLUMN result_row jsonb,
    ADD COLUMN result_ord bytea;
