CREATE TABLE episodes (id bigint NOT NULL, title text NOT NULL);
