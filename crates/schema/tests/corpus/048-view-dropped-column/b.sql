CREATE TABLE guests (id bigint, name text);
CREATE VIEW guest_contacts AS SELECT id, name FROM guests;
