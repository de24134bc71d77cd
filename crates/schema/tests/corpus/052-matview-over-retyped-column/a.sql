CREATE TABLE plays (episode_id integer, seconds integer);
CREATE MATERIALIZED VIEW listening AS SELECT episode_id, sum(seconds) AS seconds FROM plays GROUP BY episode_id;
CREATE INDEX listening_episode_idx ON listening (episode_id);
