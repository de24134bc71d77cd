CREATE FUNCTION concat_step(acc text, next text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN acc IS NULL THEN next WHEN next IS NULL THEN acc ELSE acc || ', ' || next END
$$;
CREATE FUNCTION bracket(acc text) RETURNS text LANGUAGE sql IMMUTABLE AS $$SELECT '[' || acc || ']'$$;
CREATE AGGREGATE bracketed(text) (SFUNC = concat_step, STYPE = text, FINALFUNC = bracket);
