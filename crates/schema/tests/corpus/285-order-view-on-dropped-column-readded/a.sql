CREATE TABLE t (id integer, old text);
CREATE VIEW v AS SELECT id, old FROM t;
