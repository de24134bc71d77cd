CREATE FUNCTION is_slug(v text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT v ~ '^[a-z0-9-]+$'$$;
CREATE TABLE pages (id bigint, path text CHECK (is_slug(path)));
