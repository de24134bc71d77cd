CREATE SEQUENCE t_id_seq;
CREATE TABLE t (id bigint DEFAULT nextval('t_id_seq') NOT NULL);
