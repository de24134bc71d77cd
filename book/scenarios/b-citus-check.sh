# server: citus
# Appendix B: check on a Citus project; the sequential header forgotten, then restored.
cp book/sql/b/2027*.sql migrations/
cp book/sql/b/05_distributed_plays.sql schema/
# A top-level key: after migrations_dir, before the first table.
sed -i "/^migrations_dir/r book/listings/b-citus.toml" clipdex-migrate.toml
sed -i '/^-- citus: sequential$/d' migrations/20270110T0930_play_platform.sql
clipdex-migrate sum
$ clipdex-migrate check
cp book/sql/b/20270110T0930_play_platform.sql migrations/
clipdex-migrate sum
$ clipdex-migrate check
