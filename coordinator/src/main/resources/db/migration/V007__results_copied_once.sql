-- Reduce attempts COPY their rows straight into results and claim their partition in
-- reduce_commits at the end of the same transaction (they used to stage the rows in a temporary
-- table and move them after the claim). A unique key on results would make a backup attempt wait
-- on the uncommitted rows of a stalled one; uniqueness already follows from one committed attempt
-- per (job, partition) (reduce_commits' primary key) and from each key belonging to one partition.
-- The index keeps what the key gave readers: a job's rows by key.
ALTER TABLE results DROP CONSTRAINT results_pkey;
CREATE INDEX results_job_key ON results (job_id, result_key);
