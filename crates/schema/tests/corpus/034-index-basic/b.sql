CREATE TABLE episodes (id bigint, published_at timestamptz);
CREATE INDEX episodes_published_at_idx ON episodes (published_at);
