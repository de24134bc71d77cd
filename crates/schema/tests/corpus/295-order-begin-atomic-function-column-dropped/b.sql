-- requires: PostgreSQL 14 (BEGIN ATOMIC)
CREATE TABLE t (id integer);
CREATE FUNCTION t_extras() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(id) FROM t; END;
