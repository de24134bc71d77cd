CREATE TABLE hosts (id bigint PRIMARY KEY);
CREATE TABLE shows (id bigint PRIMARY KEY, host_id bigint REFERENCES hosts);
