CREATE TABLE aliases (alias text NOT NULL);
