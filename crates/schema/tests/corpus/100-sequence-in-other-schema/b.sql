CREATE SCHEMA ids;
CREATE SEQUENCE ids.ticket_ids START WITH 100;
CREATE TABLE tickets (id bigint NOT NULL DEFAULT nextval('ids.ticket_ids'));
