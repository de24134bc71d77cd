CREATE TABLE a (id bigint);
CREATE TABLE b (id bigint);
CREATE SEQUENCE ids OWNED BY b.id;
