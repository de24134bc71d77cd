CREATE SCHEMA stats;
CREATE AGGREGATE stats.product(double precision) (SFUNC = float8mul, STYPE = double precision, INITCOND = '1');
