CREATE TABLE podcasts (id bigint PRIMARY KEY);
CREATE TABLE episodes (podcast_id bigint);
ALTER TABLE episodes ADD CONSTRAINT episodes_podcast_fk FOREIGN KEY (podcast_id) REFERENCES podcasts;
