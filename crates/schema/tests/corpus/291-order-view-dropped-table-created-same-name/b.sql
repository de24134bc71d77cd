CREATE TABLE src (id integer);
CREATE TABLE thing (id integer);
