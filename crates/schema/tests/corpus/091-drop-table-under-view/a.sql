CREATE TABLE guests (id bigint, name text);
CREATE VIEW guest_names AS SELECT name FROM guests;
CREATE VIEW guest_initials AS SELECT left(name, 1) AS initial FROM guest_names;
