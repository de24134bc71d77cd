-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001
-- message: twice

-- +up
CREATE TABLE t_aaaa (id int);
