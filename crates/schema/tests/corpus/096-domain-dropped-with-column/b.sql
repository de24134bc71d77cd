CREATE TABLE guests (contact text);
