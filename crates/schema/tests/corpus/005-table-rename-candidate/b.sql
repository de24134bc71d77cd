CREATE TABLE people (id bigint, name text);
