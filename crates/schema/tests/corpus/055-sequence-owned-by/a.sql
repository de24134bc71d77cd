CREATE TABLE tickets (id bigint);
CREATE SEQUENCE tickets_id_seq;
