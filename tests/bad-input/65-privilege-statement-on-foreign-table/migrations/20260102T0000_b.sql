-- revision: bbbb00000002
-- parents: aaaa00000001
-- message: revision bbbb00000002

-- +up
ALTER TABLE a ADD COLUMN note text;
