CREATE TYPE pair AS (a integer, b text);
CREATE TABLE pairs (p pair);
