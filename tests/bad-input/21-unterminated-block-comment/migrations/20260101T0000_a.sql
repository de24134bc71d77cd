-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
CREATE TABLE a (id int);
/* a comment /* nested */ that never closes
CREATE TABLE b (id int);
