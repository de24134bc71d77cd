-- Exercise 11.2, a solution: what undoes chapter 9's incident fix (book/sql/09/incident_fix.sql)
-- on a database at the head, so that `clipdex-migrate drift` finds nothing. It is the SQL drift
-- prints, with the one decision drift leaves to a person made: no episode lost its
-- published_at while the NOT NULL was gone, so the constraint can come back as it was.
DROP INDEX episodes_published_at_idx;
ALTER TABLE episodes ALTER COLUMN published_at SET NOT NULL;
CREATE INDEX episodes_published_at_idx ON episodes (published_at DESC);
