CREATE FUNCTION larger(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT greatest(a, b)';
CREATE AGGREGATE biggest(integer) (SFUNC = larger, STYPE = integer, SORTOP = >);
