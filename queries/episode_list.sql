-- The most-played list: the $1 most played episodes, newest first among equals, with the
-- podcast each belongs to. episodes_view_count_idx holds them in this order.
SELECT e.id, e.title, e.published_at, e.duration, e.view_count, p.title AS podcast_title
FROM episodes AS e
JOIN podcasts AS p ON p.id = e.podcast_id
ORDER BY e.view_count DESC, e.published_at DESC
LIMIT $1;
