CREATE TABLE episodes (duration integer);
ALTER TABLE episodes ADD CONSTRAINT duration_positive CHECK (duration > 0) NOT VALID;
