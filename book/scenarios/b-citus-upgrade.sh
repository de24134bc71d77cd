# server: citus
# Appendix B: clipdex on a Citus cluster, a coordinator and two workers. The database is new;
# the two Citus revisions of book/sql/b/ join the repository's three. clipdex-migrate connects
# to the coordinator, which keeps the history and the lock and sends the DDL to the workers;
# pointed at a worker, it refuses before it locks anything.
cp book/sql/b/2027*.sql migrations/
clipdex-migrate sum
$ clipdex-migrate upgrade
$ psql -XA -d "$DATABASE_URL" -c "SELECT table_name, citus_table_type, distribution_column, shard_count FROM citus_tables"
# A podcast and an episode, then two plays recorded with the application's own query.
psql -XAtq -d "$DATABASE_URL" -c "INSERT INTO podcasts (feed_url, title) VALUES ('https://example.com/feed', 'Clip Notes')" -c "INSERT INTO episodes (podcast_id, guid, title, published_at, audio_url) VALUES (1, 'e1', 'Pilot', now(), 'https://example.com/1.mp3')"
$ psql -XAt -d "$DATABASE_URL" -c "PREPARE record_play (bigint, text) AS $(cat queries/record_play.sql)" -c "EXECUTE record_play(1, 'ios')" -c "EXECUTE record_play(1, 'web')" -c "SELECT view_count, (SELECT count(*) FROM episode_plays) AS plays FROM episodes"
$ clipdex-migrate --database-url "$WORKER_URL" upgrade
$ clipdex-migrate drift
