CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
ALTER AGGREGATE total(integer) OWNER TO corpus_owner;
