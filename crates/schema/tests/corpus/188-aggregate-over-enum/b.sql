CREATE TYPE level AS ENUM ('low', 'high');
CREATE FUNCTION max_level(a level, b level) RETURNS level LANGUAGE sql IMMUTABLE AS 'SELECT greatest(a, b)';
CREATE AGGREGATE top_level(level) (SFUNC = max_level, STYPE = level);
