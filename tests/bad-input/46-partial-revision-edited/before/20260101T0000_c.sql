-- revision: cccc00000003
-- parents: 
-- message: revision cccc00000003
-- transaction: none

-- +up
CREATE TABLE p (id int);
INSERT INTO missing VALUES (1);
CREATE TABLE q (id int);
