CREATE TABLE guests (id bigint PRIMARY KEY, name text);
