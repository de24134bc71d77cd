-- revision: d5b2a8e71f03
-- parents: af9a37e3eebf
-- message: plays per day: an index on played_at, and the report that reads it
-- transaction: none

-- The index is built without blocking the player's inserts. The `reporting` schema belongs to
-- the analytics team and is created outside the migrations. No IF NOT EXISTS, on purpose: a
-- second build of the index would fail, which is how the tests prove it was built only once.

-- +up
CREATE INDEX CONCURRENTLY episode_plays_played_at_idx
    ON episode_plays (played_at);

CREATE VIEW reporting.plays_by_day AS
    SELECT date_trunc('day', played_at) AS day, count(*) AS plays
    FROM episode_plays
    WHERE played_at >= now() - interval '90 days'
    GROUP BY 1;

-- +down
DROP VIEW reporting.plays_by_day;

DROP INDEX CONCURRENTLY episode_plays_played_at_idx;
