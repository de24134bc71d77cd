-- revision: aaaa00000001
-- parents:

CREATE TABLE a (id int);
