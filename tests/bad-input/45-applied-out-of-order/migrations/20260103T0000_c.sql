-- revision: cccc00000003
-- parents: bbbb00000002
-- message: revision cccc00000003

-- +up
CREATE TABLE t_cccc (id int);
