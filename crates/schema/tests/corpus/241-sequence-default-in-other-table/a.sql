CREATE SEQUENCE shared_ids;
CREATE TABLE a (id bigint);
