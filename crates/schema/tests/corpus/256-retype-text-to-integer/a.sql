CREATE TABLE readings (id bigint, v text);
