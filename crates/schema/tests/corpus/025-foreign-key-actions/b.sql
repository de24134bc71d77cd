CREATE TABLE podcasts (id bigint PRIMARY KEY);
CREATE TABLE episodes (id bigint PRIMARY KEY, podcast_id bigint REFERENCES podcasts ON DELETE SET NULL ON UPDATE CASCADE);
