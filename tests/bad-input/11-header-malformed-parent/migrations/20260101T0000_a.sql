-- revision: aaaa00000001
-- parents: not/an/id
-- message: revision aaaa00000001

-- +up
CREATE TABLE t_aaaa (id int);
