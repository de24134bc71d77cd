-- revision: aaaa00000001
-- parents: bbbb00000002
-- message: revision aaaa00000001

-- +up
CREATE TABLE t_aaaa (id int);
