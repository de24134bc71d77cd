CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
GRANT SELECT, INSERT, UPDATE, DELETE ON episodes TO corpus_writer;
GRANT SELECT ON episodes TO corpus_reader;
