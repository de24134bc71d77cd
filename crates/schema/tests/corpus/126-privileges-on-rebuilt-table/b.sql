CREATE TABLE events (id bigint, at date) PARTITION BY LIST (at);
GRANT SELECT ON events TO corpus_reader;
GRANT INSERT ON events TO corpus_writer;
