-- revision: 3b9e6f20c4a1
-- parents: dde229109556
-- message: index plays by time, for the listening-history page
-- transaction: none

-- Exercise 11.1, a solution, part 2: the revision that makes check pass again, built
-- concurrently so that the player's inserts go on while it builds.

-- +up
CREATE INDEX CONCURRENTLY IF NOT EXISTS episode_plays_played_at_idx
    ON episode_plays (played_at);

-- +down
DROP INDEX CONCURRENTLY IF EXISTS episode_plays_played_at_idx;
