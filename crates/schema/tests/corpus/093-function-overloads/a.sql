CREATE FUNCTION describe(n integer) RETURNS text LANGUAGE sql AS $$ SELECT 'int ' || n $$;
