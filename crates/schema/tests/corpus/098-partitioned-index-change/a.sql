CREATE TABLE plays (episode_id bigint, played_at timestamptz) PARTITION BY RANGE (played_at);
CREATE TABLE plays_2025 PARTITION OF plays FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX plays_episode_idx ON plays (episode_id);
