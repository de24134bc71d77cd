CREATE FUNCTION now_text() RETURNS text LANGUAGE sql AS $$SELECT now()::text$$;
