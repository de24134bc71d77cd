CREATE TABLE episodes (id bigint, title text);
CREATE VIEW episode_list AS SELECT id, title FROM episodes;
CREATE VIEW episode_titles AS SELECT title FROM episode_list;
