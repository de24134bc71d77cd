CREATE TABLE actors (id bigint PRIMARY KEY, name text NOT NULL);
