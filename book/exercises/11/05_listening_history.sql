-- Exercise 11.1, a solution, part 1: the listening-history page reads a user's plays by time,
-- so the application expects an index on played_at. Declared here (as schema/05_…) and in no
-- revision, `check` reports it as missing from the revisions' head.
CREATE INDEX episode_plays_played_at_idx ON episode_plays (played_at);
