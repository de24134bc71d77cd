CREATE TABLE podcasts (id bigint PRIMARY KEY, slug text UNIQUE);
CREATE TABLE episodes (id bigint PRIMARY KEY, podcast_id bigint REFERENCES podcasts);
CREATE INDEX episodes_podcast_idx ON episodes (podcast_id);
