CREATE TABLE plays (episode_id bigint, played_at timestamptz) PARTITION BY RANGE (played_at);
CREATE TABLE plays_old PARTITION OF plays FOR VALUES FROM (MINVALUE) TO ('2025-01-01');
