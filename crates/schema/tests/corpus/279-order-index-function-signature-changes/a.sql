CREATE FUNCTION normalized(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT lower(v)$$;
CREATE TABLE pages (path text);
CREATE INDEX pages_normalized ON pages (normalized(path));
