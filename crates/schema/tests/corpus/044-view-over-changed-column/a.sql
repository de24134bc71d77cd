CREATE TABLE episodes (id integer, title text);
CREATE VIEW episode_titles AS SELECT id, title FROM episodes;
