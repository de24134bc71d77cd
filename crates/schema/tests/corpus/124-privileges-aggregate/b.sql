CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
REVOKE EXECUTE ON FUNCTION total(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION total(integer) TO corpus_reader;
