CREATE TABLE episodes (id bigint, title text);
