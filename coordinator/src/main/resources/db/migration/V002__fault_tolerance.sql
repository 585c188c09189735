-- Fault tolerance: retries with backoff, workers to avoid, speculative attempts, lineage
-- recovery, dispatch tracking, and the task event log position kept with the state it produced.

ALTER TABLE tasks
    ADD COLUMN failures      integer     NOT NULL DEFAULT 0,
    ADD COLUMN retry_at      timestamptz,
    ADD COLUMN avoid_workers text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN speculated    boolean     NOT NULL DEFAULT false;

ALTER TABLE task_attempts
    ADD COLUMN dispatched_at timestamptz,
    ADD COLUMN speculative   boolean     NOT NULL DEFAULT false;

ALTER TABLE jobs
    ADD COLUMN lineage_recoveries integer NOT NULL DEFAULT 0;

CREATE INDEX task_attempts_live ON task_attempts (job_id, task_type, task_index)
    WHERE status IN ('QUEUED', 'RUNNING');

-- The next task event to apply. Updated in the transaction that applies each event, so an event
-- is applied exactly once even across coordinator fail-overs.
CREATE TABLE event_offsets (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);
