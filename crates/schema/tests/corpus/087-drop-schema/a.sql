CREATE SCHEMA archive;
CREATE TYPE archive.reason AS ENUM ('old', 'broken');
CREATE TABLE archive.episodes (id bigint PRIMARY KEY, reason archive.reason);
CREATE FUNCTION archive.count_all() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM archive.episodes $$;
