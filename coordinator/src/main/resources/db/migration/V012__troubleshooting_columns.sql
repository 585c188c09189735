-- The troubleshooting queries users know from the design run as written on tasks:
--   SELECT task_type, status, COUNT(*) FROM tasks WHERE job_id = '{jobId}' GROUP BY task_type, status;
--   SELECT task_id, error_message, retry_count FROM tasks WHERE status = 'FAILED' ORDER BY created_at DESC LIMIT 10;
--   SELECT task_id, EXTRACT(EPOCH FROM (completed_at - started_at)) as duration_sec
--     FROM tasks WHERE job_id = '{jobId}' AND status = 'COMPLETED' ORDER BY duration_sec DESC LIMIT 5;
-- task_id is how the workers' logs name a task ("map task <job>/map-3#2" is attempt 2 of <job>/map-3),
-- error_message the task's last error, retry_count the attempts after the first. Derived by PostgreSQL,
-- so no code path can let them disagree with the columns they come from.
ALTER TABLE tasks
    ADD COLUMN task_id       text    GENERATED ALWAYS AS (job_id::text || '/' || lower(task_type) || '-' || task_index) STORED,
    ADD COLUMN error_message text    GENERATED ALWAYS AS (error) STORED,
    ADD COLUMN retry_count   integer GENERATED ALWAYS AS (current_attempt - 1) STORED;
