# Chapter 10: once the reporting schema exists, upgrade resumes at the statement that failed.
only_revisions 20261126T0900_baseline.sql
cp book/sql/10/20261202T0900_plays_by_day.sql migrations/
clipdex-migrate sum
clipdex-migrate upgrade || true
$ psql -d "$DATABASE_URL" -c 'CREATE SCHEMA reporting'
$ clipdex-migrate upgrade
$ clipdex-migrate history
