-- revision: AAAA-not-hex!
-- parents: 
-- message: revision AAAA-not-hex!

-- +up
CREATE TABLE t_AAAA (id int);
