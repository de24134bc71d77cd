CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TABLE episodes (id bigint, status status);
CREATE VIEW live_episodes AS SELECT id FROM episodes WHERE status = 'live';
CREATE FUNCTION is_visible(s status) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT s = 'live' $$;
