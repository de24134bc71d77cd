-- revision: aaaa00000001
-- parents: ffff00000009
-- message: revision aaaa00000001

-- +up
CREATE TABLE t_aaaa (id int);
