-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
CREATE TABLE a (id int);

-- +down
DROP TABLE a;
