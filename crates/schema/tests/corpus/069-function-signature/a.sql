CREATE FUNCTION clip(t text) RETURNS text LANGUAGE sql AS $$ SELECT left(t, 10) $$;
