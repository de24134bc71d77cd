CREATE TABLE episodes (id bigint, title text, duration integer);
CREATE VIEW episode_list AS SELECT id, title FROM episodes;
