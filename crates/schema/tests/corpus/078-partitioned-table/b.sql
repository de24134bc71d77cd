CREATE TABLE plays (episode_id bigint NOT NULL, played_at timestamptz NOT NULL, PRIMARY KEY (episode_id, played_at)) PARTITION BY RANGE (played_at);
CREATE TABLE plays_2025 PARTITION OF plays FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE plays_2026 PARTITION OF plays FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX plays_played_at_idx ON plays (played_at);
