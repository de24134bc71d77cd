CREATE TABLE t (id integer, secret text);
CREATE VIEW v AS SELECT id FROM t WHERE id > 0;
