CREATE TABLE episodes (podcast_id bigint, published_at timestamptz, title text);
CREATE INDEX episodes_feed_idx ON episodes (podcast_id, published_at);
