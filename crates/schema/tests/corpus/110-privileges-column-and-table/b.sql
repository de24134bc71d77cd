CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
GRANT SELECT (id) ON episodes TO corpus_reader;
