CREATE TABLE events (payload jsonb, at timestamptz, code text, during tsrange);
CREATE INDEX events_payload_idx ON events USING gin (payload jsonb_path_ops);
CREATE INDEX events_at_idx ON events USING brin (at);
CREATE INDEX events_code_idx ON events USING hash (code);
CREATE INDEX events_during_idx ON events USING gist (during);
