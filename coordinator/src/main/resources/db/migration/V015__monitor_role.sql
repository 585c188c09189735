-- The PostgreSQL exporter's own role: pg_monitor (PostgreSQL's role for monitoring: the statistics
-- views and settings, no table of ours), instead of the superuser. Made as V013 makes the services'
-- roles; the coordinator sets its password from MONITOR_DB_PASSWORD after migrating. Granting
-- pg_monitor takes a superuser, CREATEROLE up to PostgreSQL 15, or ADMIN OPTION on pg_monitor from 16
-- on: a coordinator whose user may not leaves a notice, and an administrator grants it once
-- (docs/operations.md#database-roles).

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mapreduce_monitor') THEN
        BEGIN
            CREATE ROLE mapreduce_monitor LOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- made meanwhile by another migration of another database
        END;
    END IF;
    BEGIN
        GRANT pg_monitor TO mapreduce_monitor;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot grant pg_monitor to mapreduce_monitor (%): a superuser must, for the exporter', SQLERRM;
    END;
END $$;
