CREATE TABLE actors (id bigint PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION concat_step(acc text, next text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN acc IS NULL THEN next WHEN next IS NULL THEN acc ELSE acc || ', ' || next END
$$;
CREATE AGGREGATE list_of(text) (SFUNC = concat_step, STYPE = text);
CREATE VIEW cast_list AS SELECT list_of(name) AS names FROM actors;
