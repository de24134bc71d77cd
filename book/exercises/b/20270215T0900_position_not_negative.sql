-- revision: 9c2d7e4a1f38
-- parents: 3a9e51c7d2b0
-- message: a position in an episode is never negative

-- A player build rewound past the start and saved negative positions. The revision repairs
-- what it is about to check, in the same transaction, so no household's data can fail it: a
-- negative position becomes the start of the episode, which is where the listener would have
-- been sent anyway. The CHECK then finds nothing to refuse, and refuses the next one.

-- +up
UPDATE progress SET position = interval '0' WHERE position < interval '0';

ALTER TABLE progress ADD CONSTRAINT progress_position_not_negative
    CHECK (position >= interval '0');

-- +down
-- The repaired positions stay repaired: nothing records what they were.
ALTER TABLE progress DROP CONSTRAINT progress_position_not_negative;
