-- revision aaaa00000001
-- parents:

-- +up
SELECT 1;
