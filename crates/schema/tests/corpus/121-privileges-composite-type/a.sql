CREATE TYPE pair AS (l integer, r integer);
