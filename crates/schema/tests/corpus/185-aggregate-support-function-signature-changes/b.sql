CREATE FUNCTION concat_step(acc text, next text) RETURNS text LANGUAGE sql STRICT IMMUTABLE AS $$SELECT acc || ', ' || next$$;
CREATE AGGREGATE list_of(text) (SFUNC = concat_step, STYPE = text);
