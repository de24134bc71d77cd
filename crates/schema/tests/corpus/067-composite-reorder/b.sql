CREATE TYPE pair AS (b text, a integer);
CREATE TABLE pairs (p pair);
