CREATE TABLE episodes (title text);
CREATE INDEX idx_title ON episodes (title);
COMMENT ON INDEX idx_title IS 'lookup by title';
