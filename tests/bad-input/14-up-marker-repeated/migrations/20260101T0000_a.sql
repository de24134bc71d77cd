-- revision: aaaa00000001
-- parents:

-- +up
CREATE TABLE a (id int);
-- +up
CREATE TABLE b (id int);
