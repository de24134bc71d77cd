CREATE COLLATION plain (provider = libc, locale = 'C');
CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);
