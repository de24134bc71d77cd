CREATE TABLE t (id integer, secret text);
CREATE VIEW v AS SELECT id FROM t;
COMMENT ON COLUMN v.id IS 'the id';
