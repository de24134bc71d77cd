CREATE FUNCTION add_one(n integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT n + 1';
REVOKE EXECUTE ON FUNCTION add_one(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION add_one(integer) TO corpus_reader;
