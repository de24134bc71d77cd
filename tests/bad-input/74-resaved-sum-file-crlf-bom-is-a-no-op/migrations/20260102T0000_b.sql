-- revision: bbbb00000002
-- parents: aaaa00000001
-- message: revision bbbb00000002

-- +up
CREATE TABLE b (id int,
  note text DEFAULT 'two
lines');
