CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
CREATE MATERIALIZED VIEW title_counts AS SELECT count(*) AS n FROM episodes;
CREATE VIEW titles AS SELECT id, title FROM episodes;
