CREATE TABLE tags (id bigint, name text);
