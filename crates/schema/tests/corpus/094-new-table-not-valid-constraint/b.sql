CREATE TABLE imports (size integer);
ALTER TABLE imports ADD CONSTRAINT size_positive CHECK (size > 0) NOT VALID;
