CREATE TABLE t (at timestamptz, code text);
