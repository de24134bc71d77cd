CREATE TABLE t (id integer, secret text);
CREATE VIEW v WITH (security_barrier) AS SELECT id FROM t;
