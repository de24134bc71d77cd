# Appendix B: every household at head, and an index someone created by hand in one of them.
# fleet drift replays the households' revisions into one shadow database and compares each
# schema with its own history.
cat book/listings/b-fleet.toml >> clipdex-migrate.toml
mkdir households && cp book/sql/b/households/*.sql households/
clipdex-migrate --migrations-dir households sum
psql -XAtq -d "$DATABASE_URL" -c 'CREATE SCHEMA household_ada; CREATE SCHEMA household_bo; CREATE SCHEMA household_cy'
clipdex-migrate fleet upgrade
psql -XAtq -d "$DATABASE_URL" -c 'CREATE INDEX progress_updated_at_idx ON household_cy.progress (updated_at)'
$ clipdex-migrate fleet drift
