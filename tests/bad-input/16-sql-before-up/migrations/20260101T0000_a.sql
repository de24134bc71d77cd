-- revision: aaaa00000001
-- parents:

CREATE TABLE early (id int);
-- +up
CREATE TABLE a (id int);
