CREATE TABLE accounts (email text);
