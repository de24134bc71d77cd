CREATE TABLE t (code text UNIQUE);
