CREATE EXTENSION pg_trgm;
CREATE TABLE aliases (alias text);
