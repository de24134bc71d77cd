CREATE TABLE plays (episode_id bigint, played_at timestamptz);
