CREATE TABLE t (n integer CHECK (n > 0) NO INHERIT);
