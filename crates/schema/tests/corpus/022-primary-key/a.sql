CREATE TABLE guests (id bigint, name text);
