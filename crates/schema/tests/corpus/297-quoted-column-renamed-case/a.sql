CREATE TABLE t ("Name" text);
