CREATE TABLE t (at timestamp(6));
