-- revision: aaaa00000001
-- parents:

-- +up
CREATE TABLE café (id int);
