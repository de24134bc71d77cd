-- The most-played list, as the application asks for it. No migration creates view_count.
SELECT e.id, e.title, e.published_at, e.view_count
FROM episodes AS e
ORDER BY e.view_count DESC, e.published_at DESC
LIMIT 20;
