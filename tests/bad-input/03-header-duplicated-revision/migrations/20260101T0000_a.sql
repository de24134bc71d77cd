-- revision: aaaa00000001
-- revision: aaaa00000002
-- parents:

-- +up
SELECT 1;
