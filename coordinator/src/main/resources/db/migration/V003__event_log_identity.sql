-- The event log position belongs to one incarnation of the task event topic: a Kafka cluster
-- recreated under the same database (its data deleted) starts the topic again at offset 0.
ALTER TABLE event_offsets ADD COLUMN topic_id text;
