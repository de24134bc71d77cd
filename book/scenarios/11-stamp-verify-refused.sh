# Chapter 11: stamp --verify refuses a legacy database someone changed by hand.
bash scripts/psql-loop.sh migrations/legacy
psql -d "$DATABASE_URL" -f book/sql/09/incident_fix.sql
$ clipdex-migrate stamp af9a37e3eebf --verify
$ clipdex-migrate current
