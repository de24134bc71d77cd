# Chapter 11: drift on a database at the head, before and after chapter 9's incident fix by hand.
clipdex-migrate upgrade
$ clipdex-migrate drift
$ psql -d "$DATABASE_URL" -f book/sql/09/incident_fix.sql
$ clipdex-migrate drift
