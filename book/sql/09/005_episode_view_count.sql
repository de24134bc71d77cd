-- 005_episode_view_count: how often each episode was played.
ALTER TABLE episodes ADD COLUMN IF NOT EXISTS view_count bigint NOT NULL DEFAULT 0;
