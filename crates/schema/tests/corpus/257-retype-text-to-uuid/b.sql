CREATE TABLE readings (id bigint, v uuid);
