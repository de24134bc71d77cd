CREATE TABLE nodes (id bigint PRIMARY KEY, parent bigint);
CREATE FUNCTION root_of(n nodes) RETURNS bigint LANGUAGE sql AS $$SELECT n.id$$;
CREATE FUNCTION first_node() RETURNS bigint LANGUAGE sql AS $$SELECT min(id) FROM nodes$$;
ALTER TABLE nodes ALTER COLUMN parent SET DEFAULT first_node();
