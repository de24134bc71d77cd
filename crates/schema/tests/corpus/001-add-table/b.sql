CREATE TABLE podcasts (id bigint PRIMARY KEY, title text NOT NULL);
