CREATE TYPE pair AS (l integer, r integer);
REVOKE USAGE ON TYPE pair FROM PUBLIC;
GRANT USAGE ON TYPE pair TO corpus_writer;
