# Chapter 11: diff between clipdex's database and a teammate's, where a branch renamed a column.
# databases: DATABASE_URL BRANCH_URL
clipdex-migrate upgrade
clipdex-migrate --database-url "$BRANCH_URL" upgrade
psql -d "$BRANCH_URL" -c 'ALTER TABLE guests RENAME COLUMN website TO homepage'
$ clipdex-migrate diff --from "$DATABASE_URL" --to "$BRANCH_URL"
