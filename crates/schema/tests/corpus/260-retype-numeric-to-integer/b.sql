CREATE TABLE prices (amount integer);
