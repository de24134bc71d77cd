CREATE TYPE point2 AS (x integer, y integer);
CREATE TYPE segment AS (a point2, b point2);
CREATE FUNCTION seg_len(s segment) RETURNS integer LANGUAGE sql AS 'SELECT abs((s.b).x - (s.a).x)';
