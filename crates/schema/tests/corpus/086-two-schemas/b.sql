CREATE SCHEMA catalog;
CREATE SCHEMA stats;
CREATE TABLE catalog.podcasts (id bigint PRIMARY KEY);
CREATE TABLE stats.downloads (podcast_id bigint REFERENCES catalog.podcasts, day date, count bigint, PRIMARY KEY (podcast_id, day));
CREATE VIEW stats.totals AS SELECT podcast_id, sum(count) AS downloads FROM stats.downloads GROUP BY podcast_id;
