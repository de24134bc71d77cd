CREATE SCHEMA shop;
CREATE TYPE shop.size AS ENUM ('s', 'm', 'l');
CREATE TABLE shop.shirts (id bigint PRIMARY KEY, size shop.size NOT NULL);
CREATE VIEW shop.large AS SELECT id FROM shop.shirts WHERE size = 'l';
GRANT USAGE ON SCHEMA shop TO corpus_reader;
GRANT SELECT ON shop.large TO corpus_reader;
