CREATE SCHEMA ids;
CREATE TABLE tickets (id bigint);
