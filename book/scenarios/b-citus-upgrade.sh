# server: citus
# Appendix B: clipdex on a Citus cluster, a coordinator and two workers. The database is new;
# the two Citus revisions of book/sql/b/ join the repository's three. clipdex-migrate connects
# to the coordinator, which keeps the history and the lock and sends the DDL to the workers;
# pointed at a worker, it refuses before it locks anything.
cp book/sql/b/2027*.sql migrations/
clipdex-migrate sum
$ clipdex-migrate upgrade
$ psql -XA -d "$DATABASE_URL" -c "SELECT table_name, citus_table_type, distribution_column, shard_count FROM citus_tables"
$ clipdex-migrate --database-url "$WORKER_URL" upgrade
$ clipdex-migrate drift
