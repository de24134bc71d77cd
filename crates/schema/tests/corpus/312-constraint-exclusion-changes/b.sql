CREATE EXTENSION btree_gist;
CREATE TABLE rooms (room integer, during tsrange, EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (room > 0));
