-- revision: 8e4b2f61c0d3
-- parents: 5d1c0a7e9b42
-- message: one spelling per play client, and each play's platform
-- citus: sequential

-- +up
-- The player sent 'iOS', 'ios ' and 'ios' for one client: one spelling from now on.
UPDATE episode_plays SET client = lower(btrim(client)) WHERE client <> lower(btrim(client));

-- The dashboard counts plays by platform.
CREATE TYPE play_platform AS ENUM ('android', 'ios', 'web', 'other');
ALTER TABLE episode_plays ADD COLUMN platform play_platform NOT NULL DEFAULT 'other';

-- +down
ALTER TABLE episode_plays DROP COLUMN platform;
DROP TYPE play_platform;
