-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
CREATE TABLE a (id int);
CREATE TABLE b (id int REFERENCES nowhere (id));
CREATE TABLE c (id int);
