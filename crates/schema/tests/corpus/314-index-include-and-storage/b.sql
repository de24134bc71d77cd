CREATE TABLE t (a integer, b text);
CREATE INDEX t_a ON t (a) INCLUDE (b) WITH (fillfactor = 70);
