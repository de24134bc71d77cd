CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
CREATE VIEW titles AS SELECT id, title FROM episodes;
GRANT SELECT ON titles TO corpus_reader;
