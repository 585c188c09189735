-- A job reads either a Kafka topic, optionally only the records whose timestamps fall in
-- [input_from, input_to) (resolved to offsets once, at submit), or files under the input root
-- (input_path, relative to it). Map tasks keep their part of the input in tasks.input: offset
-- ranges for a topic, file splits for files.
ALTER TABLE jobs
    ALTER COLUMN input_topic DROP NOT NULL,
    ADD COLUMN input_path text,
    ADD COLUMN input_from timestamptz,
    ADD COLUMN input_to   timestamptz,
    ADD CONSTRAINT jobs_one_input CHECK ((input_topic IS NULL) <> (input_path IS NULL));
