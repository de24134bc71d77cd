CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
CREATE MATERIALIZED VIEW title_counts AS SELECT count(*) AS n FROM episodes;
CREATE VIEW titles AS SELECT id, title FROM episodes;
ALTER VIEW titles OWNER TO corpus_owner;
ALTER MATERIALIZED VIEW title_counts OWNER TO corpus_owner;
