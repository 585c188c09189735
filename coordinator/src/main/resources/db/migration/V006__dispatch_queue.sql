-- Dispatch with limits: a task waits in PostgreSQL, not in Kafka, until it gets a dispatch slot.
--
-- A task that never had an attempt waits behind its job's cursor: every task of a type from
-- next_map_task / next_reduce_task on waits for its first attempt (current_attempt is 1 and no
-- attempt row exists yet), so a job's backlog costs no index entry. A task that must run again (a
-- retry after its backoff, a lost worker's task, a map whose output was lost) waits with ready_at,
-- the time from which it may have its next attempt (was retry_at); ready_at is NULL on every other
-- task, and on a reduce task waiting for its map tasks.
ALTER TABLE tasks RENAME COLUMN retry_at TO ready_at;

ALTER TABLE jobs
    ADD COLUMN next_map_task    integer NOT NULL DEFAULT 0,
    ADD COLUMN next_reduce_task integer NOT NULL DEFAULT 0;
-- Jobs from before dispatched all their tasks at once.
UPDATE jobs j SET
    next_map_task = (SELECT count(*) FROM tasks t WHERE t.job_id = j.job_id AND t.task_type = 'MAP'),
    next_reduce_task = (SELECT count(*) FROM tasks t WHERE t.job_id = j.job_id AND t.task_type = 'REDUCE');

-- The partial indexes below are on columns that an attempt's start does not change (ready_at,
-- committed_attempt, finished_at rather than status), and the worker index goes: the start of an
-- attempt, which the coordinator records as often as the ends, can then be a HOT update that writes
-- no index entry. Queries keep their status conditions and add the index's.

-- Tasks to run again, of all jobs, in the order they get slots.
CREATE INDEX tasks_ready ON tasks (task_type, ready_at, task_index) WHERE ready_at IS NOT NULL;

-- The tasks of one job and type not completed (committed_attempt is set exactly when a task
-- completes): whether a phase is done is a short index scan.
CREATE INDEX tasks_unfinished ON tasks (job_id, task_type) WHERE committed_attempt IS NULL;

-- Live attempts (QUEUED or RUNNING; every other status sets finished_at). The dispatch limits bound
-- their number, so a worker's are found among them without an index of their own.
DROP INDEX task_attempts_live;
DROP INDEX task_attempts_worker;
CREATE INDEX task_attempts_live ON task_attempts (job_id, task_type, task_index) WHERE finished_at IS NULL;

-- Room on each page for the new version of an updated row, so that it can be a HOT update.
ALTER TABLE tasks SET (fillfactor = 50);
ALTER TABLE task_attempts SET (fillfactor = 50);
