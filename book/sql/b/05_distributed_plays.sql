-- On Citus: the play log spread over the workers by episode, its primary key led by the
-- distribution column, no foreign key to the coordinator's episodes, and each play's platform.
ALTER TABLE episode_plays DROP CONSTRAINT episode_plays_episode_id_fkey;
ALTER TABLE episode_plays DROP CONSTRAINT episode_plays_pkey;
ALTER TABLE episode_plays ADD PRIMARY KEY (episode_id, id);
SELECT create_distributed_table('episode_plays', 'episode_id');

CREATE TYPE play_platform AS ENUM ('android', 'ios', 'web', 'other');
ALTER TABLE episode_plays ADD COLUMN platform play_platform NOT NULL DEFAULT 'other';
