CREATE TABLE episodes (id bigint, title text, duration integer);
CREATE FUNCTION long_episodes(min_seconds integer) RETURNS SETOF episodes LANGUAGE sql STABLE AS $$ SELECT * FROM episodes WHERE duration >= min_seconds $$;
