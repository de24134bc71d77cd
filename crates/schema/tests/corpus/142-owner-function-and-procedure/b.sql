CREATE FUNCTION add_one(n integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT n + 1';
CREATE PROCEDURE touch(n integer) LANGUAGE sql AS 'SELECT n';
ALTER FUNCTION add_one(integer) OWNER TO corpus_owner;
ALTER PROCEDURE touch(integer) OWNER TO corpus_owner;
