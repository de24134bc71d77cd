CREATE FUNCTION clip(t text, n integer DEFAULT 10) RETURNS text LANGUAGE sql AS $$ SELECT left(t, n) $$;
