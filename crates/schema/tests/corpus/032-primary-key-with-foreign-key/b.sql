CREATE TABLE podcasts (id bigint CONSTRAINT podcasts_pk PRIMARY KEY);
CREATE TABLE episodes (podcast_id bigint REFERENCES podcasts (id));
