CREATE FUNCTION clip(t text) RETURNS varchar LANGUAGE sql IMMUTABLE AS $$ SELECT left(t, 10) $$;
CREATE TABLE episodes (title text);
CREATE VIEW episode_clips AS SELECT clip(title) AS clip FROM episodes;
