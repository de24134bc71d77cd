CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
GRANT SELECT ON episodes TO corpus_reader WITH GRANT OPTION;
