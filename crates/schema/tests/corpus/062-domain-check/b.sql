CREATE DOMAIN seconds AS integer DEFAULT 0 NOT NULL CONSTRAINT seconds_positive CHECK (VALUE >= 0);
CREATE TABLE episodes (duration seconds);
