CREATE TABLE t (at timestamptz, code text);
CREATE INDEX t_at ON t USING brin (at);
CREATE INDEX t_code ON t USING hash (code);
