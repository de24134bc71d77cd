CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
GRANT SELECT, UPDATE ON episodes TO corpus_writer;
GRANT UPDATE ON episodes TO corpus_writer WITH GRANT OPTION;
