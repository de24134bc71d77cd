-- revision: b81f04d6ce27
-- parents: af9a37e3eebf
-- message: where to find a guest online, by network

-- +up
ALTER TABLE guests ADD COLUMN socials jsonb NOT NULL DEFAULT '{}'
    CHECK (jsonb_typeof(socials) = 'object');

-- +down
ALTER TABLE guests DROP COLUMN socials;
