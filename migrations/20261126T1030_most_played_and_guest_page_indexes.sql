-- revision: dde229109556
-- parents: 47c32d68e5ff
-- message: index the most-played list and a guest's episodes, built concurrently
-- transaction: none

-- CREATE INDEX without CONCURRENTLY blocks every write to the table while it builds: no play
-- recorded, no episode imported. CONCURRENTLY lets writes go on, and PostgreSQL refuses it
-- inside a transaction, hence `transaction: none`: each statement runs on its own and is
-- recorded as it completes. If the process dies between a build and its record, the next
-- upgrade runs that statement again, and IF NOT EXISTS makes the second run harmless. A
-- build that fails half way leaves an INVALID index; the upgrade that resumes at that
-- statement drops it and builds it again. Started from `revision --autogenerate`, which
-- wrote both indexes, without CONCURRENTLY, into the view_count revision's transaction.

-- +up
-- The most-played list (queries/episode_list.sql), read in index order.
CREATE INDEX CONCURRENTLY IF NOT EXISTS episodes_view_count_idx
    ON episodes (view_count DESC, published_at DESC);

-- The index post 9's files forgot. episode_guests' primary key starts with episode_id, so it
-- serves an episode's guests but not a guest's episodes: a guest's page
-- (queries/guest_page.sql) and deleting a guest (the ON DELETE CASCADE) read the whole table.
CREATE INDEX CONCURRENTLY IF NOT EXISTS episode_guests_guest_id_idx
    ON episode_guests (guest_id);

-- +down
DROP INDEX CONCURRENTLY IF EXISTS episode_guests_guest_id_idx;

DROP INDEX CONCURRENTLY IF EXISTS episodes_view_count_idx;
