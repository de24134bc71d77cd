CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE guests (contact email, backup email);
