CREATE FUNCTION is_slug(v text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$SELECT v ~ '^[a-z0-9-]+$'$$;
CREATE FUNCTION default_slug() RETURNS text LANGUAGE sql AS $$SELECT 'untitled'$$;
CREATE DOMAIN slug AS text CHECK (is_slug(VALUE)) DEFAULT default_slug();
CREATE TABLE pages (id bigint, path slug, fallback text DEFAULT default_slug());
