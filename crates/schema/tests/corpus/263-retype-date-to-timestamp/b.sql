CREATE TABLE days (d timestamp NOT NULL);
