-- The first malformed records of a map attempt (at most 20), as its worker reported them with its
-- success: [{"where": "web/access.log at byte 81533", "reason": "no [time] after the user",
-- "line": "..."}]. Those of a job's committed map attempts say why the job failed when too much of
-- its input was malformed, and are shown by the job view. NULL: none, or a worker from before.
ALTER TABLE task_attempts ADD COLUMN malformed_samples jsonb;
