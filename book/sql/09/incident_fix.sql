-- An incident, fixed by hand on the live database: the NOT NULL on published_at dropped, and
-- the index on it replaced by another under the same name.
ALTER TABLE episodes ALTER COLUMN published_at DROP NOT NULL;
DROP INDEX episodes_published_at_idx;
CREATE INDEX episodes_published_at_idx ON episodes (title);
