# Appendix B: hosted clipdex keeps each household's library in a schema of its own. Four
# households were migrated to the library revision last month; the next revision finds bad
# data in one of them. The transcript runs one household at a time (-j 1) so that its lines
# come in name order; by default four run at once and each line appears as its target finishes.
cat book/listings/b-fleet.toml >> clipdex-migrate.toml
mkdir households && cp book/sql/b/households/20270201T0900_library.sql households/
clipdex-migrate --migrations-dir households sum
clipdex-migrate upgrade
psql -XAtq -d "$DATABASE_URL" -c 'CREATE SCHEMA household_ada; CREATE SCHEMA household_bo; CREATE SCHEMA household_cy; CREATE SCHEMA household_dee'
clipdex-migrate fleet upgrade
psql -XAtq -d "$DATABASE_URL" -c "INSERT INTO household_bo.progress (episode_id, position) VALUES (7, interval '-12 seconds')"
cp book/sql/b/households/20270215T0900_position_not_negative.sql households/
clipdex-migrate --migrations-dir households sum
$ clipdex-migrate fleet status
$ clipdex-migrate fleet upgrade -j 1
$ clipdex-migrate fleet status
$ psql -XAt -d "$DATABASE_URL" -c "UPDATE household_bo.progress SET position = interval '0' WHERE position < interval '0'"
$ clipdex-migrate fleet upgrade -j 1
$ clipdex-migrate fleet status
