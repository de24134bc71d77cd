-- revision: 8e4b2f61c0d3
-- parents: 5d1c0a7e9b42
-- message: one spelling per play client, and each play's platform

-- The type first. Citus creates a type over one connection per worker, which is allowed while
-- the transaction has not yet used several; the multi-shard UPDATE and ALTER TABLE after it
-- may then use as many as they like. Reversed, the type command would come after a parallel
-- operation, which Citus refuses: the order is what `-- citus: sequential` otherwise buys.

-- +up
CREATE TYPE play_platform AS ENUM ('android', 'ios', 'web', 'other');

-- The player sent 'iOS', 'ios ' and 'ios' for one client: one spelling from now on.
UPDATE episode_plays SET client = lower(btrim(client)) WHERE client <> lower(btrim(client));

-- The dashboard counts plays by platform.
ALTER TABLE episode_plays ADD COLUMN platform play_platform NOT NULL DEFAULT 'other';

-- +down
-- The type first here too: dropping the column first is an ALTER TABLE over every shard, in
-- parallel, and the type command after it would be refused. CASCADE drops the column with it.
DROP TYPE play_platform CASCADE;
