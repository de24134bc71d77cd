CREATE FUNCTION normalized(raw text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT lower(raw)$$;
CREATE TABLE pages (path text);
CREATE INDEX pages_normalized ON pages (normalized(path));
