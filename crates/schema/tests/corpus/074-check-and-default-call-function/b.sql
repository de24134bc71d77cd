CREATE FUNCTION is_trimmed(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT t = btrim(t) $$;
CREATE FUNCTION default_name() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'anonymous' $$;
CREATE TABLE guests (name text DEFAULT default_name() CONSTRAINT name_trimmed CHECK (is_trimmed(name)));
CREATE INDEX guests_trimmed_idx ON guests (is_trimmed(name));
