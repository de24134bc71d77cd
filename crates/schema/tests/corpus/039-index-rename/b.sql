CREATE TABLE episodes (title text);
CREATE INDEX episodes_title_idx ON episodes (title);
COMMENT ON INDEX episodes_title_idx IS 'lookup by title';
