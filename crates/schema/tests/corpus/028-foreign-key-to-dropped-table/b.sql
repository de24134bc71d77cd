CREATE TABLE shows (id bigint PRIMARY KEY, host_id bigint);
