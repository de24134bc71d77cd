CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
CREATE VIEW titles AS SELECT id, title FROM episodes;
