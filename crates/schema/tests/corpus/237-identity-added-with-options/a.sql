CREATE TABLE tickets (id bigint NOT NULL, body text);
