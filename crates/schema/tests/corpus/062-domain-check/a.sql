CREATE DOMAIN seconds AS integer;
CREATE TABLE episodes (duration seconds);
