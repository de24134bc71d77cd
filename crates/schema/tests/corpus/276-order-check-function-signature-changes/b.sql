CREATE FUNCTION is_slug(value text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT value ~ '^[a-z]+$'$$;
CREATE TABLE pages (id bigint, path text CHECK (is_slug(path)));
