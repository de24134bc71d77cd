CREATE FUNCTION add_int(s bigint, v integer) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS 'SELECT s + v';
CREATE FUNCTION sub_int(s bigint, v integer) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT AS 'SELECT s - v';
CREATE AGGREGATE running_sum(integer) (SFUNC = add_int, STYPE = bigint, INITCOND = '0', MSFUNC = add_int, MINVFUNC = sub_int, MSTYPE = bigint, MINITCOND = '0');
