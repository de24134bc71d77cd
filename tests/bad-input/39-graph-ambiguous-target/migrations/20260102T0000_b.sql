-- revision: aaaa00000002
-- parents: aaaa00000001
-- message: revision aaaa00000002

-- +up
CREATE TABLE t_aaaa (id int);
