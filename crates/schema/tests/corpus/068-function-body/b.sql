CREATE FUNCTION slugify(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT regexp_replace(lower(t), '[^a-z0-9]+', '-', 'g') $$;
