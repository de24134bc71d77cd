CREATE TABLE guests (id bigint PRIMARY KEY, display_name text);
