CREATE TABLE hot_rows (id bigint, counter bigint) WITH (fillfactor = 90, autovacuum_enabled = false);
