CREATE FUNCTION greet(person text) RETURNS text LANGUAGE sql AS $$SELECT 'hi ' || person$$;
