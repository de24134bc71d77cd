-- revision: aaaa00000001
-- parents: aaaa00000001
-- message: revision aaaa00000001

-- +up
CREATE TABLE t_aaaa (id int);
