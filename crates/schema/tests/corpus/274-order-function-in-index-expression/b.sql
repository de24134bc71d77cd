CREATE FUNCTION normalized(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT lower(trim(v))$$;
CREATE TABLE pages (id bigint, path text);
CREATE INDEX pages_normalized ON pages (normalized(path));
