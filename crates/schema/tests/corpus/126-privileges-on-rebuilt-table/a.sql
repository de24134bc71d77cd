CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
GRANT SELECT ON events TO corpus_reader;
