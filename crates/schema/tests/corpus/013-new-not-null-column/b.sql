CREATE TABLE episodes (id bigint PRIMARY KEY, slug text NOT NULL);
