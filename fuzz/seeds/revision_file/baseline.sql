-- revision: af9a37e3eebf
-- parents:
-- message: baseline: the schema of post 9, built by the four legacy files
-- transaction: per-revision

-- On a fresh database, this revision runs the files the post-9 loop ran, in the
-- same order, in one transaction. A database the loop already built is not
-- migrated again: it is adopted with `clipdex-migrate stamp af9a37e3eebf`, which
-- records this revision as applied without running it.

-- +up
-- +include legacy/001_init.sql
-- +include legacy/002_enrich.sql
-- +include legacy/003_resolution.sql
-- +include legacy/004_search.sql

-- +down
DROP FUNCTION search_episodes(text, integer);
DROP TABLE guest_aliases, quotes, episode_topics, topics, episode_guests, guests,
    episode_plays, transcript_segments, episodes, podcasts;
DROP TYPE guest_role;
DROP EXTENSION pg_trgm;
