CREATE EXTENSION citext;
CREATE TABLE users (email text);
