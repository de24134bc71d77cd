CREATE TABLE guests (name text);
