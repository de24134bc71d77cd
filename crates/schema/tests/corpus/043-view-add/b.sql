CREATE TABLE episodes (id bigint, title text);
CREATE VIEW episode_titles AS SELECT id, title FROM episodes;
