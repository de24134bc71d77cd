-- revision: aaaa00000001
-- parents:

-- +down
DROP TABLE a;

-- +up
CREATE TABLE a (id int);
