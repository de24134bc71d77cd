CREATE SCHEMA clipdex_migrate;
CREATE TABLE clipdex_migrate.history (revision text);
CREATE TABLE episodes (id bigint);
