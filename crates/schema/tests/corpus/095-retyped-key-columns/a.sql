CREATE TABLE podcasts (id integer PRIMARY KEY, slug text UNIQUE);
CREATE TABLE episodes (id integer PRIMARY KEY, podcast_id integer REFERENCES podcasts);
CREATE INDEX episodes_podcast_idx ON episodes (podcast_id);
