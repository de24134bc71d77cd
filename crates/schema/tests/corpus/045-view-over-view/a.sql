CREATE TABLE episodes (id integer, title varchar(100), published boolean);
CREATE VIEW published_episodes AS SELECT id, title FROM episodes WHERE published;
CREATE VIEW published_titles AS SELECT title FROM published_episodes;
