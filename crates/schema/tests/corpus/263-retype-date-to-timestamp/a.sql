CREATE TABLE days (d date NOT NULL);
