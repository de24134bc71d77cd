-- revision: 9c2d7e4a1f38
-- parents: 3a9e51c7d2b0
-- message: a position in an episode is never negative

-- A player build rewound past the start and saved negative positions. It is fixed; this
-- makes the database refuse the next one. The CHECK scans the household's progress, and
-- fails where a bad position is still there.

-- +up
ALTER TABLE progress ADD CONSTRAINT progress_position_not_negative
    CHECK (position >= interval '0');

-- +down
ALTER TABLE progress DROP CONSTRAINT progress_position_not_negative;
