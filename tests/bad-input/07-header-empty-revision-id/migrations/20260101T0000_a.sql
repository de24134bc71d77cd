-- revision:
-- parents:
-- message: no id at all

-- +up
CREATE TABLE a (id int);
