-- A quote's page: quote $1, who said it, and where in which episode, so that the player can
-- start at the moment it was said.
SELECT q.body, g.name AS guest_name, g.slug AS guest_slug,
       e.title AS episode_title, e.audio_url, s.starts_at
FROM quotes AS q
JOIN episodes AS e ON e.id = q.episode_id
LEFT JOIN guests AS g ON g.id = q.guest_id
LEFT JOIN transcript_segments AS s
       ON s.episode_id = q.episode_id AND s.position = q.segment_position
WHERE q.id = $1;
