-- revision: f284ab0e1fce
-- parents: 78df97f27f43
-- message: listens.completed: whether a listen lasted twenty minutes, backfilled

-- Citus runs each statement on every shard, in parallel, and the transaction spans the
-- workers: the column, the backfill and the constraint commit together on all of them.

-- +up
ALTER TABLE listens ADD COLUMN completed boolean;

-- The backfill: every listen so far, from the seconds it lasted.
UPDATE listens SET completed = seconds >= 1200;

ALTER TABLE listens ALTER COLUMN completed SET DEFAULT false;

-- check: allow set-not-null — the ADD COLUMN above already holds the lock; the scan follows the backfill
ALTER TABLE listens ALTER COLUMN completed SET NOT NULL;

-- +down
ALTER TABLE listens DROP COLUMN completed;
