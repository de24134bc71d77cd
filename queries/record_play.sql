-- A play, as the player records it: one row in the log for episode $1 from client $2, and
-- the episode's view_count counted up in the same statement, so the two never disagree.
WITH play AS (
    INSERT INTO episode_plays (episode_id, client)
    VALUES ($1, $2)
    RETURNING episode_id
)
UPDATE episodes AS e
SET view_count = e.view_count + 1
FROM play
WHERE e.id = play.episode_id;
