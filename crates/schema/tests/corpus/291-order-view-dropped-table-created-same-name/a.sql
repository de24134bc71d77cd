CREATE TABLE src (id integer);
CREATE VIEW thing AS SELECT id FROM src;
