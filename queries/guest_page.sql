-- A guest's page: every episode the guest with slug $1 was on, newest first, with their role.
-- The join on episode_guests.guest_id is what episode_guests_guest_id_idx serves.
SELECT e.id, e.title, e.published_at, eg.role, p.title AS podcast_title
FROM guests AS g
JOIN episode_guests AS eg ON eg.guest_id = g.id
JOIN episodes AS e ON e.id = eg.episode_id
JOIN podcasts AS p ON p.id = e.podcast_id
WHERE g.slug = $1
ORDER BY e.published_at DESC;
