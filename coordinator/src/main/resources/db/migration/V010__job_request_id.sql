-- Idempotent submits: the client's requestId, unique per owner (a null owner, from before tenants or
-- without them, counts as one owner), so a repeated submit finds the job its key first made.
ALTER TABLE jobs ADD COLUMN request_id text;

CREATE UNIQUE INDEX jobs_owner_request_id ON jobs (owner, request_id) NULLS NOT DISTINCT
    WHERE request_id IS NOT NULL;
