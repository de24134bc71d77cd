-- revision: aaaa00000001
-- parents: 
-- message: revision aaaa00000001

-- +up
CREATE TABLE a (id int);
CREATE INDEX a_id ON a (id);

-- +down
DROP INDEX CONCURRENTLY a_id;
DROP TABLE a;
