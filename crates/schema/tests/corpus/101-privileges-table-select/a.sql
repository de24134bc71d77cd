CREATE TABLE episodes (id bigint PRIMARY KEY, title text NOT NULL, secret text);
