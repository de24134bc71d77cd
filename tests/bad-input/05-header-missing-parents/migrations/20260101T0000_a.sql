-- revision: aaaa00000001
-- message: no parents line

-- +up
SELECT 1;
