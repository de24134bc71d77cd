-- requires: PostgreSQL 14 (BEGIN ATOMIC)
CREATE TABLE t (id integer, extra text);
CREATE FUNCTION t_extras() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(extra) FROM t; END;
