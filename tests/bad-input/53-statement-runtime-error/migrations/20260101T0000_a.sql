-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
CREATE TABLE a (id int);
INSERT INTO a VALUES (1 / 0);
