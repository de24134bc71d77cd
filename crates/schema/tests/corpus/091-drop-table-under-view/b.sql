CREATE TABLE hosts (id bigint);
