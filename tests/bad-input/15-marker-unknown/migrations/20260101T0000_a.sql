-- revision: aaaa00000001
-- parents:

-- +up
CREATE TABLE a (id int);
-- +sideways
SELECT 1;
