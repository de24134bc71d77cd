CREATE TABLE events (payload jsonb, at timestamptz, code text, during tsrange);
