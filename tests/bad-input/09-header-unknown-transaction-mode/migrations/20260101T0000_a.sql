-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001
-- transaction: sometimes

-- +up
CREATE TABLE t_aaaa (id int);
