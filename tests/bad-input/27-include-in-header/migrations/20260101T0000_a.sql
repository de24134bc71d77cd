-- revision: aaaa00000001
-- parents:
-- +include parts/x.sql

-- +up
SELECT 1;
