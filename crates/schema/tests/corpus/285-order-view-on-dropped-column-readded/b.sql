CREATE TABLE t (id integer, old text GENERATED ALWAYS AS ('x') STORED);
CREATE VIEW v AS SELECT id, old FROM t;
