-- 005_episode_plays_played_at: plays by time, for the listening-history page,
-- built without blocking the player's inserts.
BEGIN;

CREATE INDEX CONCURRENTLY IF NOT EXISTS episode_plays_played_at_idx
    ON episode_plays (played_at);

COMMIT;
