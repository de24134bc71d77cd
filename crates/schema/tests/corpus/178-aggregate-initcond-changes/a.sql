CREATE FUNCTION concat_step(acc text, next text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN acc IS NULL THEN next WHEN next IS NULL THEN acc ELSE acc || ', ' || next END
$$;
CREATE AGGREGATE list_of(text) (SFUNC = concat_step, STYPE = text);
