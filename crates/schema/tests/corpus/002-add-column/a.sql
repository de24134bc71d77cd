CREATE TABLE episodes (id bigint PRIMARY KEY);
