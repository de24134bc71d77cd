-- revision: ccfd481d419b
-- parents: f284ab0e1fce
-- message: index a podcast's listens by episode, built concurrently on every shard
-- transaction: none

-- CREATE INDEX CONCURRENTLY on a distributed table builds the coordinator's index and one
-- per shard, on the workers, without blocking writes. No IF NOT EXISTS: on a distributed
-- table a second build of an existing index marks it INVALID (a Citus bug). If the run is
-- interrupted, the upgrade that resumes here finds the index valid on every shard and records
-- it, or drops what an unfinished build left and builds it again.

-- +up
CREATE INDEX CONCURRENTLY listens_episode_idx ON listens (podcast_id, episode_guid);

-- +down
DROP INDEX CONCURRENTLY IF EXISTS listens_episode_idx;
