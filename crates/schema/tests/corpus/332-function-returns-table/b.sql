CREATE TABLE t (id integer);
CREATE FUNCTION ids() RETURNS TABLE (id integer) LANGUAGE sql AS $$SELECT id FROM t$$;
