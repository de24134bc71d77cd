-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
-- +include ../../etc/passwd
