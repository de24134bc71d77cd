CREATE TABLE t (id integer, secret text);
CREATE MATERIALIZED VIEW m AS SELECT id FROM t;
