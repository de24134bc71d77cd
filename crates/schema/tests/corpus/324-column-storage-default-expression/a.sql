CREATE TABLE t (id integer, created date);
