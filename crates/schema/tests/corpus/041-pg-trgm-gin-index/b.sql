CREATE EXTENSION pg_trgm;
CREATE TABLE aliases (alias text NOT NULL);
CREATE INDEX aliases_alias_trgm_idx ON aliases USING gin (alias gin_trgm_ops);
