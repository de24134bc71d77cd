CREATE TABLE podcasts (id bigint CONSTRAINT podcasts_pkey PRIMARY KEY);
CREATE TABLE episodes (podcast_id bigint REFERENCES podcasts (id));
