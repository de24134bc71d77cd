CREATE TABLE a (id bigint PRIMARY KEY);
CREATE TABLE b (a_id bigint REFERENCES a (id));
