-- revision: b81f04d6ce27
-- parents: af9a37e3eebf
-- message: where to find a guest online, by network

-- No down section yet: until it has one, a downgrade through this revision is refused.
-- Exercise 10.1 writes it (book/exercises/10/ has a solution).

-- +up
ALTER TABLE guests ADD COLUMN socials jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(socials) = 'object');
