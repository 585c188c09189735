-- Jobs, their tasks and task attempts, workers, reduce commits and results.
-- The coordinator is the only writer of jobs, tasks, task_attempts and workers; a reduce worker
-- writes its partition's rows into results and its reduce_commits row in one transaction.

CREATE TABLE jobs (
    job_id           uuid        PRIMARY KEY,
    job_name         text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'MAP_COMPLETED',
                                   'REDUCE_RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    input_topic      text        NOT NULL,
    num_mappers      integer     NOT NULL,
    num_reducers     integer     NOT NULL,
    map_function     text        NOT NULL,
    reduce_function  text        NOT NULL,
    parameters       jsonb       NOT NULL DEFAULT '{}',
    combiner         boolean     NOT NULL DEFAULT true,
    input_records    bigint      NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    map_completed_at timestamptz,
    completed_at     timestamptz,
    error            text
);

CREATE INDEX jobs_created_at ON jobs (created_at DESC);
CREATE INDEX jobs_status ON jobs (status) WHERE status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED');

-- One row per task. current_attempt is the attempt the coordinator trusts; committed_attempt the
-- one whose output counts. Counters are those of the committed attempt.
CREATE TABLE tasks (
    job_id                 uuid        NOT NULL REFERENCES jobs ON DELETE CASCADE,
    task_type              text        NOT NULL CHECK (task_type IN ('MAP', 'REDUCE')),
    task_index             integer     NOT NULL,
    status                 text        NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED',
                                         'FAILED', 'CANCELLED')),
    current_attempt        integer     NOT NULL DEFAULT 1,
    committed_attempt      integer,
    input                  jsonb       NOT NULL DEFAULT '[]',
    input_records          bigint      NOT NULL DEFAULT 0,
    records_read           bigint      NOT NULL DEFAULT 0,
    malformed_records      bigint      NOT NULL DEFAULT 0,
    map_output_records     bigint      NOT NULL DEFAULT 0,
    combine_output_records bigint      NOT NULL DEFAULT 0,
    shuffle_bytes          bigint      NOT NULL DEFAULT 0,
    reduce_input_records   bigint      NOT NULL DEFAULT 0,
    output_records         bigint      NOT NULL DEFAULT 0,
    created_at             timestamptz NOT NULL DEFAULT now(),
    started_at             timestamptz,
    completed_at           timestamptz,
    error                  text,
    PRIMARY KEY (job_id, task_type, task_index)
);

-- Every attempt of every task: which worker ran it, when, and how it ended.
CREATE TABLE task_attempts (
    job_id                 uuid        NOT NULL,
    task_type              text        NOT NULL,
    task_index             integer     NOT NULL,
    attempt                integer     NOT NULL,
    status                 text        NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED',
                                         'FAILED', 'SUPERSEDED', 'KILLED')),
    worker_id              text,
    queued_at              timestamptz NOT NULL DEFAULT now(),
    started_at             timestamptz,
    finished_at            timestamptz,
    records_read           bigint      NOT NULL DEFAULT 0,
    malformed_records      bigint      NOT NULL DEFAULT 0,
    map_output_records     bigint      NOT NULL DEFAULT 0,
    combine_output_records bigint      NOT NULL DEFAULT 0,
    shuffle_bytes          bigint      NOT NULL DEFAULT 0,
    reduce_input_records   bigint      NOT NULL DEFAULT 0,
    output_records         bigint      NOT NULL DEFAULT 0,
    error                  text,
    PRIMARY KEY (job_id, task_type, task_index, attempt),
    FOREIGN KEY (job_id, task_type, task_index) REFERENCES tasks ON DELETE CASCADE
);

CREATE INDEX task_attempts_worker ON task_attempts (worker_id) WHERE status IN ('QUEUED', 'RUNNING');

CREATE TABLE workers (
    worker_id      text        PRIMARY KEY,
    worker_type    text        NOT NULL CHECK (worker_type IN ('MAP', 'REDUCE')),
    status         text        NOT NULL DEFAULT 'ALIVE' CHECK (status IN ('ALIVE', 'DEAD', 'STOPPED')),
    first_seen     timestamptz NOT NULL DEFAULT now(),
    last_heartbeat timestamptz NOT NULL DEFAULT now()
);

-- The commit point of a reduce task: the primary key lets exactly one attempt of each reduce
-- partition commit; its rows go into results in the same transaction.
CREATE TABLE reduce_commits (
    job_id       uuid        NOT NULL,
    partition    integer     NOT NULL,
    attempt      integer     NOT NULL,
    worker_id    text        NOT NULL,
    output_rows  bigint      NOT NULL,
    committed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, partition)
);

-- The output. result_value is numeric so ORDER BY result_value sorts numerically.
CREATE TABLE results (
    job_id       uuid    NOT NULL,
    result_key   text    COLLATE "C" NOT NULL,
    result_value numeric NOT NULL,
    PRIMARY KEY (job_id, result_key)
);
