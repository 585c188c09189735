-- Liveness is judged only by heartbeats the leader could have seen: when its event consumer last
-- reached the end of the event log (caught_up_at), and since when it has done so without a break
-- (caught_up_since: a Kafka outage, a frozen leader or a new leader starts it again).
ALTER TABLE event_offsets ADD COLUMN caught_up_at timestamptz;
ALTER TABLE event_offsets ADD COLUMN caught_up_since timestamptz;
