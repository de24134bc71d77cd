-- requires: PostgreSQL 14 (BEGIN ATOMIC)
CREATE TABLE nodes (id bigint PRIMARY KEY, parent bigint);
CREATE FUNCTION first_node() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT min(id) FROM nodes; END;
ALTER TABLE nodes ALTER COLUMN parent SET DEFAULT first_node();
