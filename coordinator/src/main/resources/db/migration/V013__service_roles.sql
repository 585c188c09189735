-- Least privilege: the coordinator owns the schema (it runs these migrations); the other services
-- connect as roles that may do only what they do.
--   mapreduce_gateway        reads jobs and results (it streams results straight from PostgreSQL)
--   mapreduce_reduce_worker  copies its partition's rows into results and claims its reduce_commits
--                            row, after reading the job's status and the attempts the coordinator
--                            recorded as live; it locks the job row only through
--                            lock_job_for_commit, since SELECT ... FOR SHARE would need UPDATE on jobs
-- Neither may change jobs, tasks or attempts, nor create, alter or drop anything. The map workers
-- do not use PostgreSQL.
--
-- Roles belong to the whole server, not to one database: each is made only where it is missing
-- (several databases, or two migrations at once, may make it), and what it may do is granted here,
-- in this database. They may log in; no password is written here: the coordinator sets each from its
-- configuration (GATEWAY_DB_PASSWORD, REDUCE_WORKER_DB_PASSWORD) after migrating.

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['mapreduce_gateway', 'mapreduce_reduce_worker'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- made meanwhile by another migration of another database
            END;
        END IF;
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), role_name);
    END LOOP;
END $$;

GRANT SELECT ON jobs, results TO mapreduce_gateway;

GRANT SELECT ON jobs, task_attempts, reduce_commits TO mapreduce_reduce_worker;
GRANT INSERT ON results, reduce_commits TO mapreduce_reduce_worker;

-- The job's status, its row locked FOR SHARE until the caller's transaction ends: a reduce commit
-- reads it last, so that a cancel (which locks the row FOR UPDATE and deletes the job's results)
-- either waits for the commit or is seen by it. No row: the job is gone.
CREATE FUNCTION lock_job_for_commit(job uuid) RETURNS TABLE (status text)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
    SELECT j.status FROM jobs j WHERE j.job_id = job FOR SHARE
$$;

REVOKE ALL ON FUNCTION lock_job_for_commit(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lock_job_for_commit(uuid) TO mapreduce_reduce_worker;
