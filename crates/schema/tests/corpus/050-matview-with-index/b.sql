CREATE TABLE plays (episode_id bigint, played_at timestamptz);
CREATE MATERIALIZED VIEW play_counts AS SELECT episode_id, count(*) AS plays FROM plays GROUP BY episode_id;
CREATE UNIQUE INDEX play_counts_episode_idx ON play_counts (episode_id);
