-- A job reads its input in a format (issue 13): the format description it was submitted with
-- (FormatSpec JSON, {"type": "apache_combined", ...}), sent to its map tasks, and the share of
-- malformed records past which it fails. Jobs from before formats read the default format.
ALTER TABLE jobs
    ADD COLUMN format jsonb,
    ADD COLUMN max_malformed_ratio double precision NOT NULL DEFAULT 0.5
        CONSTRAINT jobs_max_malformed_ratio CHECK (max_malformed_ratio BETWEEN 0 AND 1);
