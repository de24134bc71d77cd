-- revision: 7f3e90a1b2c4
-- parents: af9a37e3eebf
-- message: plays by time, for the listening-history page

-- Chapter 9's atomic file, as a revision: no `transaction:` line, so it runs in the one
-- transaction every per-revision revision gets, and CONCURRENTLY cannot run in a transaction.

-- +up
CREATE INDEX CONCURRENTLY IF NOT EXISTS episode_plays_played_at_idx
    ON episode_plays (played_at);
