CREATE TABLE t (code text);
CREATE UNIQUE INDEX t_code_key ON t (code);
