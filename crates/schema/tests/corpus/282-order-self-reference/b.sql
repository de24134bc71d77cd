CREATE TABLE people (id bigint PRIMARY KEY, mentor_id bigint REFERENCES people (id));
