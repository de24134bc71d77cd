CREATE TABLE thing (id integer);
