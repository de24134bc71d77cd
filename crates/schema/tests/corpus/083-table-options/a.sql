CREATE TABLE hot_rows (id bigint, counter bigint) WITH (fillfactor = 70);
