CREATE TABLE nodes (id bigint PRIMARY KEY, parent_id bigint REFERENCES nodes);
