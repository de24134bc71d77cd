-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
CREATE TABLE a (note text DEFAULT 'it''s);
CREATE TABLE b (id int);
