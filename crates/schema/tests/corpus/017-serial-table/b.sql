CREATE TABLE quotes (id bigserial PRIMARY KEY, body text NOT NULL);
