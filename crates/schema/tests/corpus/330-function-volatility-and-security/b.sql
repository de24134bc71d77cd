CREATE FUNCTION now_text() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$SELECT now()::text$$;
