-- revision: d5b2a8e71f03
-- parents: af9a37e3eebf
-- message: plays per day: an index on played_at, and the report that reads it
-- transaction: none

-- Exercise 10.3, a solution: the same revision, written so that a crash between the index
-- build and its record is harmless. The upgrade after such a crash runs statement 1 again;
-- IF NOT EXISTS makes that second run a no-op, and the runner still checks that the index it
-- finds is valid.

-- +up
CREATE INDEX CONCURRENTLY IF NOT EXISTS episode_plays_played_at_idx
    ON episode_plays (played_at);

CREATE VIEW reporting.plays_by_day AS
    SELECT date_trunc('day', played_at) AS day, count(*) AS plays
    FROM episode_plays
    WHERE played_at >= now() - interval '90 days'
    GROUP BY 1;

-- +down
DROP VIEW reporting.plays_by_day;

DROP INDEX CONCURRENTLY IF EXISTS episode_plays_played_at_idx;
