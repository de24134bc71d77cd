-- requires: PostgreSQL 14 (BEGIN ATOMIC)
CREATE TABLE t (id integer);
CREATE FUNCTION t_count() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM t; END;
