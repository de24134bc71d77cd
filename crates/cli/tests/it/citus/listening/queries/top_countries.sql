-- A podcast's listeners by country, most first: one shard's rows joined with the reference
-- table on the same node.
SELECT c.name, count(*) AS listeners
FROM listeners AS l
JOIN countries AS c ON c.code = l.country
WHERE l.podcast_id = $1
GROUP BY c.name
ORDER BY listeners DESC;
