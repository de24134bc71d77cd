-- revision: 47c32d68e5ff
-- parents: af9a37e3eebf
-- message: episodes.view_count: each episode's plays, counted once from the play log
-- transaction: per-revision

-- The most-played list orders episodes by how often they were played. Counting the play log
-- on every page view reads every play, so the count becomes a column: filled once here from
-- the log, then kept up to date by the player as it records each play
-- (queries/record_play.sql). Started from `revision --autogenerate`, which added the column
-- in one statement, default and NOT NULL included, so that every existing episode had 0 plays.

-- +up
-- Nullable at first, with no default: until the backfill below has run, no value is right.
ALTER TABLE episodes ADD COLUMN view_count bigint;

-- The backfill, which no diff can write: every episode's plays so far, counted from the log.
-- It runs once, because this revision does. Recording a play checks its episode's row for
-- the foreign key, which waits for the lock ADD COLUMN took: no play is logged between the
-- count and the commit.
UPDATE episodes AS e
SET view_count = (
    SELECT count(*)
    FROM episode_plays AS p
    WHERE p.episode_id = e.id
);

-- A new episode has not been played.
ALTER TABLE episodes ALTER COLUMN view_count SET DEFAULT 0;

-- SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock. This transaction has held that
-- lock since the ADD COLUMN above, and the backfill has just written every row: the scan adds
-- a fraction of the backfill's time to a wait the application already has.
-- check: allow set-not-null — the lock is already held; the scan costs less than the backfill
ALTER TABLE episodes ALTER COLUMN view_count SET NOT NULL;

-- +down
-- The counts go with the column; the play log they came from stays.
ALTER TABLE episodes DROP COLUMN view_count;
