-- revision: 5a0c1e7d93b2
-- parents: dde229109556 b81f04d6ce27
-- message: join view_count and socials

-- Exercise 10.2, a solution: the merge revision for the two heads the socials branch makes
-- beside main. `clipdex-migrate merge` writes the same with a random id; this one's is fixed so
-- that a test can name it. Neither branch depends on the other, so it runs nothing.

-- +up
-- Joins dde229109556 and b81f04d6ce27; nothing to run.

-- +down
-- Splits them again; nothing to run.
