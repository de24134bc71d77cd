CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
GRANT UPDATE (title, secret) ON episodes TO corpus_writer;
GRANT INSERT (title) ON episodes TO corpus_writer;
