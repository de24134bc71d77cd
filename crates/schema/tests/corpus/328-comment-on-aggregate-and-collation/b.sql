CREATE COLLATION plain (provider = libc, locale = 'C');
CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);
COMMENT ON COLLATION plain IS 'bytes';
COMMENT ON AGGREGATE total(integer) IS 'sum';
