CREATE TABLE guests (id bigint, name text);
CREATE VIEW guest_names AS SELECT id, name FROM guests;
