CREATE FUNCTION describe(n integer) RETURNS text LANGUAGE sql AS $$ SELECT 'integer ' || n $$;
CREATE FUNCTION describe(t text) RETURNS text LANGUAGE sql AS $$ SELECT 'text ' || t $$;
CREATE FUNCTION describe(n integer, t text) RETURNS text LANGUAGE sql AS $$ SELECT n || t $$;
