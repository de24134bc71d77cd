-- revision: 5d1c0a7e9b42
-- parents: dde229109556
-- message: episode_plays spread over the workers by episode
-- transaction: per-revision

-- The play log is the one table that grows with every listener; the rest of clipdex stays on
-- the coordinator. Citus wants the distribution column in every primary key, and keeps no
-- foreign key from a distributed table to a table on the coordinator alone: a play of a
-- deleted episode now stays in the log, and only the player, which plays episodes it has
-- listed, keeps the log's episode ids real.

-- No down section: undistribute_table refuses a table with an identity column, so going back
-- is a revision of its own (a plain table, the rows copied, the names swapped), written when
-- it is needed. A downgrade through this revision is refused before anything runs.

-- +up
ALTER TABLE episode_plays DROP CONSTRAINT episode_plays_episode_id_fkey;
ALTER TABLE episode_plays DROP CONSTRAINT episode_plays_pkey;
ALTER TABLE episode_plays ADD PRIMARY KEY (episode_id, id);
SELECT create_distributed_table('episode_plays', 'episode_id');
