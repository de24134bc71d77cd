CREATE TABLE guests (id bigint, name text, legacy_email text);
CREATE VIEW guest_contacts AS SELECT id, name, legacy_email FROM guests;
