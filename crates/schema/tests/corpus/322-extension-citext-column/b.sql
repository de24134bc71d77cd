CREATE EXTENSION citext;
CREATE TABLE users (email citext);
