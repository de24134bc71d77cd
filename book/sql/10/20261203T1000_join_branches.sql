-- revision: 0d4c6a8e1f57
-- parents: 47c32d68e5ff b81f04d6ce27
-- message: join view_count and socials

-- What `clipdex-migrate merge` writes for the two heads: both as parents, and nothing to run.

-- +up
-- Joins 47c32d68e5ff and b81f04d6ce27; nothing to run.

-- +down
-- Splits them again; nothing to run.
