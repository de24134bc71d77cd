CREATE SEQUENCE tickets_id_seq;
CREATE TABLE tickets (id bigint DEFAULT nextval('tickets_id_seq'));
ALTER SEQUENCE tickets_id_seq OWNED BY tickets.id;
