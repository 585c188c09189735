-- Dispatch with limits: a task waits in PostgreSQL, not in Kafka, until it gets a slot. ready_at
-- (was retry_at) is when a PENDING task may get its next attempt: its creation for a first attempt,
-- the end of the backoff for a retry. NULL: it is not waiting for a slot (it has a live attempt,
-- has ended, or is a reduce task waiting for its map tasks). A task that never had an attempt has
-- current_attempt 0.
ALTER TABLE tasks RENAME COLUMN retry_at TO ready_at;

-- The tasks of one job and type waiting for a slot, in the order they get one.
CREATE INDEX tasks_ready ON tasks (job_id, task_type, ready_at, task_index)
    WHERE status = 'PENDING' AND ready_at IS NOT NULL;

-- The tasks of one job and type not yet completed: whether a phase is done is a short index scan.
CREATE INDEX tasks_unfinished ON tasks (job_id, task_type) WHERE status <> 'COMPLETED';
