-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001
-- colour: blue

-- +up
CREATE TABLE t_aaaa (id int);
