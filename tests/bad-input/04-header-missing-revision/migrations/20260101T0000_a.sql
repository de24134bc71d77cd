-- parents:
-- message: no id

-- +up
SELECT 1;
