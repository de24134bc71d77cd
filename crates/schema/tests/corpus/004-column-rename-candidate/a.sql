CREATE TABLE guests (id bigint PRIMARY KEY, full_name text);
