CREATE TABLE episodes (id bigint PRIMARY KEY, title text, legacy_code integer);
