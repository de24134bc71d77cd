-- revision: b81f04d6ce27
-- parents: af9a37e3eebf
-- message: where to find a guest online, by network

-- Exercise 10.1, a solution: the down section undoes the up section exactly. Dropping the
-- column drops its default and its CHECK constraint with it.

-- +up
ALTER TABLE guests ADD COLUMN socials jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(socials) = 'object');

-- +down
ALTER TABLE guests DROP COLUMN socials;
