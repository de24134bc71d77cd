CREATE TABLE readings (id bigint, v integer);
