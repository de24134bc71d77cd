-- Exercise 9.1, a solution: the index on played_at as a file the loop can run, on every deploy.
-- No BEGIN … COMMIT: CREATE INDEX CONCURRENTLY refuses to run in a transaction block, and psql
-- runs each statement of a file on its own anyway. IF NOT EXISTS makes every later run a no-op,
-- which is also its flaw: it looks at the name only, so an INVALID index left by a failed
-- build is skipped for ever (exercise 9.2 finds one).
CREATE INDEX CONCURRENTLY IF NOT EXISTS episode_plays_played_at_idx
    ON episode_plays (played_at);
