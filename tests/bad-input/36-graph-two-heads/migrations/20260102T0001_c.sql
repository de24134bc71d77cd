-- revision: cccc00000003
-- parents: aaaa00000001
-- message: revision cccc00000003

-- +up
CREATE TABLE t_cccc (id int);
