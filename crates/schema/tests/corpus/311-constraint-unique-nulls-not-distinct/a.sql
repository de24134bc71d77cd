-- requires: PostgreSQL 15 (NULLS NOT DISTINCT)
CREATE TABLE t (code text UNIQUE);
