CREATE TABLE speakers (id bigint, name text);
