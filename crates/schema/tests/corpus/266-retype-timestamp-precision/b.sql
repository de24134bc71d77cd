CREATE TABLE t (at timestamp(3));
