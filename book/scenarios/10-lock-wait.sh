# Chapter 10: a second deploy waits for the first one's migration lock, then gives up.
# A shorter wait than the repository's 60s, so that the transcript is short.
sed -i 's/lock_wait = "60s"/lock_wait = "500ms"/' clipdex-migrate.toml
clipdex-migrate upgrade af9a37e3eebf
# A long report holds a lock on episodes, so the first deploy's ALTER TABLE waits behind it,
# holding the migration lock while it does.
psql -XAt -d "$DATABASE_URL" -c 'BEGIN; LOCK TABLE episodes IN ACCESS SHARE MODE; SELECT pg_sleep(60)' &
# pg_locks shows every database of the server: only this one's locks count.
until psql -XAt -d "$DATABASE_URL" -c "SELECT count(*) FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND relation = 'episodes'::regclass AND granted" | grep -qx 1; do sleep 0.1; done
clipdex-migrate upgrade &
until psql -XAt -d "$DATABASE_URL" -c "SELECT count(*) FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND locktype = 'advisory' AND granted" | grep -qx 1; do sleep 0.1; done
$ clipdex-migrate upgrade
