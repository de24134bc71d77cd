-- Exercise 9.2, a solution: the indexes a failed concurrent build left behind. PostgreSQL marks
-- them indisvalid = false; queries never use them, writes still maintain them, and
-- IF NOT EXISTS accepts them because the name exists.
SELECT i.indexrelid::regclass::text AS index, i.indrelid::regclass::text AS on_table
FROM pg_index AS i
WHERE NOT i.indisvalid
ORDER BY 1;
